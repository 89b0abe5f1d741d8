/**
 * Decimal money arithmetic on strings, backed by BigInt so sums are exact.
 * Pure (no I/O, no Date): safe to import from workflow code.
 */
import { quoteValue } from './one-line';

const DECIMAL = /^-?\d+(\.\d+)?$/;

interface Scaled {
  units: bigint;
  scale: number;
}

export function isDecimal(value: string): boolean {
  return DECIMAL.test(value);
}

function parse(value: string): Scaled {
  if (!DECIMAL.test(value)) throw new RangeError(`not a decimal amount: ${quoteValue(value)}`);
  const negative = value.startsWith('-');
  const [whole, fraction = ''] = (negative ? value.slice(1) : value).split('.');
  const units = BigInt(whole + fraction);
  return { units: negative ? -units : units, scale: fraction.length };
}

function rescale(amount: Scaled, scale: number): bigint {
  return amount.units * 10n ** BigInt(scale - amount.scale);
}

function format(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Converts an API amount (decimal string or JSON number) to a canonical decimal string. */
export function toDecimal(value: string | number): string {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  return normalize(text);
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite amount: ${value}`);
  // toString gives the shortest round-trip form; expand exponents so the decimal parser accepts it.
  const text = value.toString();
  if (!/e/i.test(text)) return text;
  return value.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/** Drops trailing fraction zeros: "12.500" -> "12.5", "3.00" -> "3". */
export function normalize(value: string): string {
  const { units, scale } = parse(value);
  let u = units;
  let s = scale;
  while (s > 0 && u % 10n === 0n) {
    u /= 10n;
    s -= 1;
  }
  return format(u, s);
}

export function add(...values: string[]): string {
  const parsed = values.map(parse);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  const units = parsed.reduce((sum, p) => sum + rescale(p, scale), 0n);
  return normalize(format(units, scale));
}

export function subtract(a: string, b: string): string {
  const pa = parse(a);
  const pb = parse(b);
  const scale = Math.max(pa.scale, pb.scale);
  return normalize(format(rescale(pa, scale) - rescale(pb, scale), scale));
}

export function multiply(a: string, b: string): string {
  const pa = parse(a);
  const pb = parse(b);
  return normalize(format(pa.units * pb.units, pa.scale + pb.scale));
}

/** -1, 0 or 1, like a comparator. */
export function compare(a: string, b: string): -1 | 0 | 1 {
  const pa = parse(a);
  const pb = parse(b);
  const scale = Math.max(pa.scale, pb.scale);
  const diff = rescale(pa, scale) - rescale(pb, scale);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** Rounds half away from zero to `places` fraction digits and pads: roundTo("1.005", 2) -> "1.01". */
export function roundTo(value: string, places: number): string {
  const p = parse(value);
  if (p.scale <= places) return format(rescale(p, places), places);
  const divisor = 10n ** BigInt(p.scale - places);
  const negative = p.units < 0n;
  const magnitude = negative ? -p.units : p.units;
  let quotient = magnitude / divisor;
  if ((magnitude % divisor) * 2n >= divisor) quotient += 1n;
  return format(negative ? -quotient : quotient, places);
}

/** a / b rounded half away from zero to `places` fraction digits, normalised: divide("10", "3", 2) -> "3.33". */
export function divide(a: string, b: string, places: number): string {
  const pa = parse(a);
  const pb = parse(b);
  if (pb.units === 0n) throw new RangeError(`division of "${a}" by zero`);
  // a / b = (ua / 10^sa) / (ub / 10^sb); scaled by 10^places and kept as a quotient of integers.
  const numerator = pa.units * 10n ** BigInt(places + pb.scale);
  const denominator = pb.units * 10n ** BigInt(pa.scale);
  const negative = numerator < 0n !== denominator < 0n;
  const [n, d] = [numerator < 0n ? -numerator : numerator, denominator < 0n ? -denominator : denominator];
  let quotient = n / d;
  if ((n % d) * 2n >= d) quotient += 1n;
  return normalize(format(negative ? -quotient : quotient, places));
}
