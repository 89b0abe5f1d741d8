/**
 * Sub-area purchases: a line item (or a v0 price request) may name a `geometry`, a closed GeoJSON Polygon
 * that must lie inside the item's footprint; it is priced by the area of footprint ∩ geometry (geodesic km²)
 * at the contract's rate. Polygon operations through polyclip-ts, areas through turf.
 */
import turfArea from '@turf/area';
import * as polyclip from 'polyclip-ts';
import type { CatalogItem } from './catalog';
import { parseQueryGeometry, type PolygonRings } from './geometry';
import { ApiError } from './http';
import { areaPrice } from './money';
import type { SeedContract } from './seed-data';

/** How much of a geometry may stick out of the footprint (one square metre): rounding, not a wider purchase. */
const OUTSIDE_TOLERANCE_KM2 = 1e-6;

type Geom = Parameters<typeof polyclip.intersection>[0];

/**
 * The price of the part of `item` inside `geometry`; a 400 naming `field` when the geometry is not a closed
 * Polygon or reaches outside the footprint.
 */
export function subAreaPrice(contract: SeedContract, item: CatalogItem, geometry: unknown, field: string): string {
  const rings = polygonOf(geometry, field);
  const footprint = [item.ring] as Geom;
  const outside = areaKm2(polyclip.difference(rings as Geom, footprint));
  if (outside > OUTSIDE_TOLERANCE_KM2) {
    throw new ApiError(
      400,
      `${field} reaches ${outside.toFixed(6)} km² outside the footprint of item ${item.id}: it must lie inside it`,
      field,
    );
  }
  const inside = areaKm2(polyclip.intersection(footprint, rings as Geom));
  if (!(inside > 0)) throw new ApiError(400, `${field} has no area inside the footprint of item ${item.id}`, field);
  return areaPrice(contract.rate_per_km2, inside);
}

function polygonOf(geometry: unknown, field: string): PolygonRings {
  const type = (geometry as { type?: unknown } | null)?.type;
  if (type !== 'Polygon')
    throw new ApiError(400, `${field} must be a GeoJSON Polygon, got ${JSON.stringify(type)}`, field);
  try {
    return parseQueryGeometry(geometry).polygons[0];
  } catch (error) {
    throw new ApiError(400, `${field}: ${(error as Error).message}`, field);
  }
}

function areaKm2(coordinates: number[][][][]): number {
  return coordinates.length === 0 ? 0 : turfArea({ type: 'MultiPolygon', coordinates }) / 1e6;
}
