/** What coverage is expected to cost: a scene's own price, or a rate per km² times an area. Decimal money. */
import { multiply, roundTo } from '../shared/money';

/**
 * The whole scene's price, a rate that prices any part of it, or both (a catalog price and the rate derived from
 * it); decimal strings in the contract's currency.
 */
export type ScenePrice = { scene: string; perKm2?: string } | { perKm2: string };

/** Fraction digits of an expected price: an estimate, the API's sub-area pricing gives the real one. */
export const PRICE_PLACES = 2;

/** `perKm2` x `km2`, the area taken to the square metre so that the product stays exact. */
export function priceOfArea(perKm2: string, km2: number): string {
  return roundTo(multiply(perKm2, km2.toFixed(6)), PRICE_PLACES);
}
