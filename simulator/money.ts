/**
 * Decimal money of the simulator, on decimal.js: amounts travel as decimal strings in plain
 * notation (never floats, never exponents), with trailing fraction zeros dropped unless a price
 * is shown in cents.
 */
import Decimal from 'decimal.js';

const Exact = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_UP });

/** "12.500" -> "12.5", 3 -> "3". */
export function canonical(amount: string | number): string {
  return new Exact(amount).toFixed();
}

export function total(amounts: string[]): string {
  return amounts.reduce((sum, amount) => sum.plus(amount), new Exact(0)).toFixed();
}

export function difference(from: string, taken: string): string {
  return new Exact(from).minus(taken).toFixed();
}

export function covers(balance: string, amount: string): boolean {
  return new Exact(balance).gte(amount);
}

/** A decimal times a decimal factor, exactly. */
export function scaled(value: string, factor: string): string {
  return new Exact(value).times(factor).toFixed();
}

/** Rate per km² times the area, rounded half away from zero to cents: "2.50" x 12.345 -> "30.86". */
export function areaPrice(ratePerKm2: string, areaKm2: number): string {
  return new Exact(ratePerKm2).times(areaKm2).toFixed(2);
}
