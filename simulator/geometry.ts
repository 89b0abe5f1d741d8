/**
 * The geometry the search needs: validating GeoJSON query geometries and testing real
 * intersection with item footprints (polygons with holes, multipolygons, points).
 */
export type Position = [number, number];
export type Ring = Position[];
/** A polygon as rings: the first is the exterior, the others holes. */
export type PolygonRings = Ring[];
export type BBox = [number, number, number, number];

export interface QueryShape {
  polygons: PolygonRings[];
  points: Position[];
  bbox: BBox;
}

/** Parses an `intersects` value; throws a one-line message naming what is wrong. */
export function parseQueryGeometry(value: unknown): QueryShape {
  const geometry = value as { type?: unknown; coordinates?: unknown };
  if (!geometry || typeof geometry !== 'object') throw new Error('intersects must be a GeoJSON geometry object');
  const { type, coordinates } = geometry;
  let polygons: PolygonRings[] = [];
  let points: Position[] = [];
  if (type === 'Point') points = [position(coordinates)];
  else if (type === 'Polygon') polygons = [polygon(coordinates)];
  else if (type === 'MultiPolygon') {
    if (!Array.isArray(coordinates) || coordinates.length === 0) throw new Error('MultiPolygon needs polygons');
    polygons = coordinates.map(polygon);
  } else throw new Error(`intersects type must be Point, Polygon or MultiPolygon, got ${JSON.stringify(type)}`);
  const all = [...points, ...polygons.flatMap((p) => p[0])];
  return { polygons, points, bbox: boundsOf(all) };
}

function position(value: unknown): Position {
  if (!Array.isArray(value) || value.length < 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v)))
    throw new Error('a position must be an array of at least two numbers');
  const [lon, lat] = value as number[];
  if (lon < -180 || lon > 180 || lat < -90 || lat > 90) throw new Error(`position [${lon}, ${lat}] is out of range`);
  return [lon, lat];
}

function polygon(value: unknown): PolygonRings {
  if (!Array.isArray(value) || value.length === 0) throw new Error('a Polygon needs at least one linear ring');
  return value.map((ringValue) => {
    if (!Array.isArray(ringValue) || ringValue.length < 4)
      throw new Error('a linear ring needs at least four positions');
    const ring = ringValue.map(position);
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (first[0] !== last[0] || first[1] !== last[1]) throw new Error('a linear ring must be closed');
    return ring;
  });
}

export function boundsOf(positions: Position[]): BBox {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of positions) {
    w = Math.min(w, x);
    s = Math.min(s, y);
    e = Math.max(e, x);
    n = Math.max(n, y);
  }
  return [w, s, e, n];
}

export function bboxesOverlap(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** Whether a footprint (one exterior ring, no holes) intersects the query shape. */
export function footprintIntersects(footprint: Ring, footprintBox: BBox, shape: QueryShape): boolean {
  if (!bboxesOverlap(footprintBox, shape.bbox)) return false;
  const target: PolygonRings = [footprint];
  if (shape.points.some((p) => pointInPolygon(p, target))) return true;
  return shape.polygons.some((query) => polygonsIntersect(query, target));
}

function polygonsIntersect(a: PolygonRings, b: PolygonRings): boolean {
  for (const ringA of a) for (const ringB of b) if (ringsCross(ringA, ringB)) return true;
  // No boundaries cross: one lies wholly inside the other, or they are apart (or in a hole).
  return pointInPolygon(a[0][0], b) || pointInPolygon(b[0][0], a);
}

function ringsCross(a: Ring, b: Ring): boolean {
  for (let i = 0; i < a.length - 1; i++)
    for (let j = 0; j < b.length - 1; j++) if (segmentsIntersect(a[i], a[i + 1], b[j], b[j + 1])) return true;
  return false;
}

function orientation(p: Position, q: Position, r: Position): number {
  const value = (q[1] - p[1]) * (r[0] - q[0]) - (q[0] - p[0]) * (r[1] - q[1]);
  return value === 0 ? 0 : value > 0 ? 1 : 2;
}

function onSegment(p: Position, q: Position, r: Position): boolean {
  return (
    q[0] <= Math.max(p[0], r[0]) &&
    q[0] >= Math.min(p[0], r[0]) &&
    q[1] <= Math.max(p[1], r[1]) &&
    q[1] >= Math.min(p[1], r[1])
  );
}

/** Segment intersection including touching and collinear overlap. */
function segmentsIntersect(p1: Position, q1: Position, p2: Position, q2: Position): boolean {
  const o1 = orientation(p1, q1, p2);
  const o2 = orientation(p1, q1, q2);
  const o3 = orientation(p2, q2, p1);
  const o4 = orientation(p2, q2, q1);
  if (o1 !== o2 && o3 !== o4) return true;
  return (
    (o1 === 0 && onSegment(p1, p2, q1)) ||
    (o2 === 0 && onSegment(p1, q2, q1)) ||
    (o3 === 0 && onSegment(p2, p1, q2)) ||
    (o4 === 0 && onSegment(p2, q1, q2))
  );
}

/** Even-odd rule over all rings, so a point in a hole is outside; boundary points count as inside. */
export function pointInPolygon(point: Position, rings: PolygonRings): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (orientation(ring[j], point, ring[i]) === 0 && onSegment(ring[j], point, ring[i])) return true;
      if (yi > point[1] !== yj > point[1] && point[0] < ((xj - xi) * (point[1] - yi)) / (yj - yi) + xi)
        inside = !inside;
    }
  }
  return inside;
}
