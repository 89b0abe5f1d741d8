/**
 * Reads an area of interest from GeoJSON text: a Polygon or MultiPolygon, a Feature of one, or a
 * FeatureCollection of those. Checks shape, ring closure, coordinate ranges and size, then unites all
 * polygons into one MultiPolygon (overlaps count once). Every refusal is an AoiError with a one-line
 * message that names the file and the place: `aoi.geojson: features[2].geometry: type Point is not ...`.
 * Pure.
 */
import type { MultiPolygon, Position } from 'geojson';
import { oneLine, quoteValue } from '../shared/one-line';
import { areaKm2, boxOf, difference, simplified, union, vertexCount, type Box, type Parts } from './geometry';

export const MAX_AOI_VERTICES = 10_000;
/** Above this many vertices, coverage planning works on a simplified outline of the area (planningAoi). */
export const PLANNING_VERTICES = 1_000;
/**
 * How far that outline may stray from the area's own, in metres: far inside the 50 m margin each sub-area is grown
 * by, so the sub-areas still reach the area's own outline, while a 10,000-vertex circle plans as about a hundred.
 */
export const PLANNING_TOLERANCE_METERS = 10;
export const MAX_AOI_BYTES = 1024 * 1024;
/** How much of a hole may lie outside its polygon's outline, as a share of its area: rounding where edges meet. */
const HOLE_SLACK = 1e-6;

export interface Aoi {
  geometry: MultiPolygon;
  areaKm2: number;
  box: Box;
}

export class AoiError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AoiError';
  }
}

/** Parses GeoJSON text; `source` (a file name) starts every error message. */
export function parseAoi(text: string, source = 'aoi'): Aoi {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_AOI_BYTES) throw new AoiError(`${source}: is ${bytes} bytes, more than the ${MAX_AOI_BYTES} allowed`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new AoiError(`${source}: is not JSON: ${oneLine((error as Error).message)}`);
  }
  return aoiFromGeoJson(doc, source);
}

/** Checks an already parsed GeoJSON value, with the same rules and messages as parseAoi. */
export function aoiFromGeoJson(doc: unknown, source = 'aoi'): Aoi {
  const reader = new AoiReader(source);
  const polygons = reader.document(doc);
  let parts: Parts;
  try {
    parts = union(...polygons.map((polygon) => [polygon]));
  } catch (error) {
    throw new AoiError(`${source}: the geometry cannot be resolved into polygons: ${(error as Error).message}`);
  }
  const area = areaKm2(parts);
  if (!(area > 0)) throw new AoiError(`${source}: the area of interest has no area`);
  return { geometry: { type: 'MultiPolygon', coordinates: parts }, areaKm2: area, box: boxOf(parts) };
}

/**
 * The area as coverage planning uses it: itself, or with more than PLANNING_VERTICES vertices its outline simplified
 * within PLANNING_TOLERANCE_METERS. Every polygon operation of the plan touches the outline, so its cost grows with
 * the vertex count: planning 10,000 scenes against a 10,000-vertex outline would take the better part of an hour.
 */
export function planningAoi(aoi: Aoi): Aoi {
  if (vertexCount(aoi.geometry.coordinates) <= PLANNING_VERTICES) return aoi;
  // The union mends any crossing the simplification may have made.
  const parts = union(simplified(aoi.geometry.coordinates, PLANNING_TOLERANCE_METERS));
  return { geometry: { type: 'MultiPolygon', coordinates: parts }, areaKm2: areaKm2(parts), box: boxOf(parts) };
}

class AoiReader {
  private vertices = 0;

  constructor(private readonly source: string) {}

  document(doc: unknown): Position[][][] {
    if (!isObject(doc)) return this.fail('', 'is not a GeoJSON object');
    if (doc.type === 'FeatureCollection') {
      if (!Array.isArray(doc.features)) return this.fail('features', 'is not an array');
      if (doc.features.length === 0) return this.fail('features', 'is empty: no polygon to cover');
      return doc.features.flatMap((feature, i) => this.feature(feature, `features[${i}]`));
    }
    if (doc.type === 'Feature') return this.feature(doc, '');
    return this.geometry(doc, '');
  }

  private feature(feature: unknown, path: string): Position[][][] {
    if (!isObject(feature) || feature.type !== 'Feature') return this.fail(path, 'is not a GeoJSON Feature');
    if (feature.geometry === null || feature.geometry === undefined) {
      return this.fail(join(path, 'geometry'), 'is missing: a Polygon or MultiPolygon is needed');
    }
    return this.geometry(feature.geometry, join(path, 'geometry'));
  }

  private geometry(geometry: unknown, path: string): Position[][][] {
    if (!isObject(geometry)) return this.fail(path, 'is not a GeoJSON object');
    const coordinates = join(path, 'coordinates');
    if (geometry.type === 'Polygon') return [this.polygon(geometry.coordinates, coordinates)];
    if (geometry.type === 'MultiPolygon') {
      if (!Array.isArray(geometry.coordinates)) return this.fail(coordinates, 'is not an array of polygons');
      if (geometry.coordinates.length === 0) return this.fail(coordinates, 'is empty');
      return geometry.coordinates.map((polygon, i) => this.polygon(polygon, `${coordinates}[${i}]`));
    }
    const type = typeof geometry.type === 'string' ? `type ${quoteValue(geometry.type)}` : 'no GeoJSON type';
    return this.fail(path, `${type} is not a Polygon or MultiPolygon`);
  }

  private polygon(rings: unknown, path: string): Position[][] {
    if (!Array.isArray(rings)) return this.fail(path, 'is not an array of rings');
    if (rings.length === 0) return this.fail(path, 'has no rings');
    const read = rings.map((ring, i) => this.ring(ring, `${path}[${i}]`));
    // Every ring after the first is a hole in it (RFC 7946): one that reaches outside is a second outline, or rings
    // in the wrong order, and the union would cut it out of the area instead of covering it.
    const outline: Parts = [[read[0]]];
    read.slice(1).forEach((hole, i) => {
      const holeKm2 = areaKm2([[hole]]);
      if (areaKm2(difference([[hole]], outline)) > HOLE_SLACK * holeKm2) {
        this.fail(
          `${path}[${i + 1}]`,
          'is not inside the polygon\'s first ring: a ring after the first is a hole (a second outline goes in a MultiPolygon)',
        );
      }
    });
    return read;
  }

  private ring(ring: unknown, path: string): Position[] {
    if (!Array.isArray(ring)) return this.fail(path, 'is not an array of positions');
    if (ring.length < 4) return this.fail(path, `ring has ${ring.length} positions, at least 4 are needed`);
    const positions = ring.map((position, i) => this.position(position, `${path}[${i}]`));
    const [first, last] = [positions[0], positions[positions.length - 1]];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      return this.fail(path, 'ring is not closed: its last position differs from its first');
    }
    // An edge over half the globe's longitude is one that was meant to cross ±180: read as drawn, the ring would
    // enclose the rest of the world's band instead.
    const crossing = positions.findIndex((p, i) => i > 0 && Math.abs(p[0] - positions[i - 1][0]) > 180);
    if (crossing > 0) {
      return this.fail(
        `${path}[${crossing}]`,
        'the edge to this position crosses the antimeridian: split the area at ±180 into polygons on either side',
      );
    }
    this.vertices += positions.length - 1;
    if (this.vertices > MAX_AOI_VERTICES) {
      return this.fail('', `has more than ${MAX_AOI_VERTICES} vertices; simplify it first`);
    }
    return positions;
  }

  private position(position: unknown, path: string): Position {
    if (!Array.isArray(position) || position.length < 2) return this.fail(path, 'is not a [longitude, latitude] pair');
    const [lon, lat] = position;
    if (typeof lon !== 'number' || !Number.isFinite(lon)) return this.fail(path, 'longitude is not a finite number');
    if (typeof lat !== 'number' || !Number.isFinite(lat)) return this.fail(path, 'latitude is not a finite number');
    if (lon < -180 || lon > 180) return this.fail(path, `longitude ${lon} is outside [-180, 180]`);
    if (lat < -90 || lat > 90) return this.fail(path, `latitude ${lat} is outside [-90, 90]`);
    return [lon, lat];
  }

  private fail(path: string, problem: string): never {
    throw new AoiError(`${this.source}: ${path ? `${path}: ` : ''}${problem}`);
  }
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
