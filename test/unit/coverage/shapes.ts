/** Hand-made shapes for the coverage tests: boxes in lon/lat, candidates over them, and area checks. */
import turfArea from '@turf/area';
import type { MultiPolygon, Polygon } from 'geojson';
import { aoiFromGeoJson, type Aoi } from '../../../src/coverage/aoi';
import { boxParts, type Box } from '../../../src/coverage/geometry';
import type { CoverageCandidate } from '../../../src/coverage/plan';

/** A lon/lat box, with box-shaped holes. */
export function box(bounds: Box, ...holes: Box[]): Polygon {
  return { type: 'Polygon', coordinates: [boxParts(bounds)[0][0], ...holes.map((h) => boxParts(h)[0][0].reverse())] };
}

export function aoiOf(geometry: Polygon | MultiPolygon): Aoi {
  return aoiFromGeoJson(geometry, 'test');
}

/** An area of separate boxes (fields), as one MultiPolygon. */
export function fieldsAoi(...fields: Box[]): Aoi {
  return aoiOf({ type: 'MultiPolygon', coordinates: fields.map((field) => box(field).coordinates) });
}

export function km2(geometry: Polygon | MultiPolygon): number {
  return turfArea(geometry) / 1e6;
}

export function scene(item: string, bounds: Box, extra: Partial<CoverageCandidate> = {}): CoverageCandidate {
  return {
    collection: 'menut-l1c-cogs',
    item,
    footprint: box(bounds),
    datetime: '2026-06-01T10:00:00Z',
    cloudCover: 10,
    price: { perKm2: '1' },
    owned: false,
    ...extra,
  };
}
