import turfArea from '@turf/area';
import {
  AoiError,
  MAX_AOI_BYTES,
  MAX_AOI_VERTICES,
  parseAoi,
  planningAoi,
  PLANNING_TOLERANCE_METERS,
  PLANNING_VERTICES,
} from '../../../src/coverage/aoi';

const square = (west: number, south: number, size: number) => [
  [
    [west, south],
    [west + size, south],
    [west + size, south + size],
    [west, south + size],
    [west, south],
  ],
];
const polygon = (coordinates: unknown) => ({ type: 'Polygon', coordinates });
const feature = (geometry: unknown) => ({ type: 'Feature', properties: {}, geometry });
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const km2 = (geometry: object) => turfArea(geometry as Parameters<typeof turfArea>[0]) / 1e6;

function refusal(doc: unknown): string {
  try {
    parseAoi(typeof doc === 'string' ? doc : JSON.stringify(doc), 'aoi.geojson');
  } catch (error) {
    expect(error).toBeInstanceOf(AoiError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('the document was accepted');
}

describe('reading an area of interest', () => {
  test('takes a Polygon, a Feature, a MultiPolygon and a FeatureCollection, with geodesic area', () => {
    const ring = square(10, 45, 0.1);
    const expected = km2(polygon(ring));
    expect(expected).toBeGreaterThan(80);
    for (const doc of [polygon(ring), feature(polygon(ring)), collection(feature(polygon(ring)))]) {
      const aoi = parseAoi(JSON.stringify(doc), 'aoi.geojson');
      expect(aoi.geometry.type).toBe('MultiPolygon');
      expect(aoi.areaKm2).toBeCloseTo(expected, 6);
      expect(aoi.box).toEqual([10, 45, 10.1, 45.1]);
    }
    const two = parseAoi(
      JSON.stringify({ type: 'MultiPolygon', coordinates: [square(10, 45, 0.1), square(11, 45, 0.1)] }),
    );
    expect(two.geometry.coordinates).toHaveLength(2);
    expect(two.areaKm2).toBeCloseTo(km2(polygon(square(10, 45, 0.1))) + km2(polygon(square(11, 45, 0.1))), 6);
  });

  test('counts overlapping polygons once and leaves holes out', () => {
    const overlapping = collection(feature(polygon(square(10, 45, 0.2))), feature(polygon(square(10.1, 45, 0.2))));
    const united = parseAoi(JSON.stringify(overlapping));
    expect(united.geometry.coordinates).toHaveLength(1);
    expect(united.areaKm2).toBeCloseTo(
      km2(
        polygon([
          [
            [10, 45],
            [10.3, 45],
            [10.3, 45.2],
            [10, 45.2],
            [10, 45],
          ],
        ]),
      ),
      6,
    );

    const hole = [
      [10.05, 45.05],
      [10.05, 45.1],
      [10.1, 45.1],
      [10.1, 45.05],
      [10.05, 45.05],
    ];
    const withHole = parseAoi(JSON.stringify(polygon([square(10, 45, 0.2)[0], hole])));
    expect(withHole.areaKm2).toBeCloseTo(km2(polygon(square(10, 45, 0.2))) - km2(polygon([hole])), 6);
  });

  test('refuses what is not an area, with a one-line message naming the place', () => {
    const point = { type: 'Point', coordinates: [10, 45] };
    expect(
      refusal(collection(feature(polygon(square(10, 45, 0.1))), feature(polygon(square(11, 45, 0.1))), feature(point))),
    ).toBe('aoi.geojson: features[2].geometry: type "Point" is not a Polygon or MultiPolygon');
    expect(refusal('{"type": "Polygon", ')).toMatch(/^aoi\.geojson: is not JSON: /);
    expect(refusal([1, 2])).toBe('aoi.geojson: is not a GeoJSON object');
    expect(refusal({ coordinates: [] })).toBe('aoi.geojson: no GeoJSON type is not a Polygon or MultiPolygon');
    expect(refusal({ type: 'GeometryCollection', geometries: [] })).toBe(
      'aoi.geojson: type "GeometryCollection" is not a Polygon or MultiPolygon',
    );
    expect(refusal(collection())).toBe('aoi.geojson: features: is empty: no polygon to cover');
    expect(refusal(collection(feature(null)))).toBe(
      'aoi.geojson: features[0].geometry: is missing: a Polygon or MultiPolygon is needed',
    );
    expect(refusal(collection({ type: 'Polygon', coordinates: square(10, 45, 1) }))).toBe(
      'aoi.geojson: features[0]: is not a GeoJSON Feature',
    );
  });

  test('refuses a ring drawn across the antimeridian: read as drawn it would be the rest of the band', () => {
    const fiji = [
      [179, 0],
      [-179, 0],
      [-179, 1],
      [179, 1],
      [179, 0],
    ];
    expect(refusal(polygon([fiji]))).toBe(
      'aoi.geojson: coordinates[0][1]: the edge to this position crosses the antimeridian: split the area at ±180 ' +
        'into polygons on either side',
    );
    // Split at ±180, as asked, it is taken: two parts, each on its own side.
    const split = parseAoi(JSON.stringify({ type: 'MultiPolygon', coordinates: [square(179, 0, 1), square(-180, 0, 1)] }));
    expect(split.geometry.coordinates).toHaveLength(2);
  });

  test('refuses a ring after the first that is not a hole in it: a second outline, or rings in the wrong order', () => {
    const outside = 'is not inside the polygon\'s first ring: a ring after the first is a hole (a second outline goes in a MultiPolygon)';
    // Two outlines in one Polygon (a MultiPolygon was meant): the second would vanish from the area.
    expect(refusal(polygon([square(10, 45, 0.1)[0], square(11, 45, 0.1)[0]]))).toBe(
      `aoi.geojson: coordinates[1]: ${outside}`,
    );
    // The hole first, the outline second.
    expect(refusal(feature(polygon([square(10.05, 45.05, 0.02)[0], square(10, 45, 0.2)[0]])))).toBe(
      `aoi.geojson: geometry.coordinates[1]: ${outside}`,
    );
    // A hole that touches the outline from inside is one.
    const touching = [
      [10, 45],
      [10.05, 45],
      [10.05, 45.05],
      [10, 45.05],
      [10, 45],
    ];
    expect(parseAoi(JSON.stringify(polygon([square(10, 45, 0.2)[0], touching]))).areaKm2).toBeGreaterThan(0);
  });

  test('refuses bad rings and coordinates', () => {
    expect(
      refusal(
        polygon([
          [
            [10, 45],
            [10.1, 45],
            [10, 45],
          ],
        ]),
      ),
    ).toBe('aoi.geojson: coordinates[0]: ring has 3 positions, at least 4 are needed');
    expect(
      refusal(
        polygon([
          [
            [10, 45],
            [10.1, 45],
            [10.1, 45.1],
            [10, 45.1],
          ],
        ]),
      ),
    ).toBe('aoi.geojson: coordinates[0]: ring is not closed: its last position differs from its first');
    expect(
      refusal(
        polygon([
          [
            [10, 45],
            [10.1, 95],
            [10.1, 45.1],
            [10, 45],
          ],
        ]),
      ),
    ).toBe('aoi.geojson: coordinates[0][1]: latitude 95 is outside [-90, 90]');
    expect(
      refusal(
        polygon([
          [
            [10, 45],
            [190, 45],
            [10.1, 45.1],
            [10, 45],
          ],
        ]),
      ),
    ).toBe('aoi.geojson: coordinates[0][1]: longitude 190 is outside [-180, 180]');
    expect(
      refusal(
        polygon([
          [
            [10, 45],
            ['10.1', 45],
            [10.1, 45.1],
            [10, 45],
          ],
        ]),
      ),
    ).toBe('aoi.geojson: coordinates[0][1]: longitude is not a finite number');
    expect(refusal(polygon([[[10, 45], [10.1], [10.1, 45.1], [10, 45]]]))).toBe(
      'aoi.geojson: coordinates[0][1]: is not a [longitude, latitude] pair',
    );
    expect(refusal({ type: 'MultiPolygon', coordinates: [square(10, 45, 0.1), 'x'] })).toBe(
      'aoi.geojson: coordinates[1]: is not an array of rings',
    );
    expect(
      refusal(
        polygon([
          [
            [10, 45],
            [10.1, 45],
            [10.2, 45],
            [10, 45],
          ],
        ]),
      ),
    ).toBe('aoi.geojson: the area of interest has no area');
  });

  test('refuses documents over the size limits', () => {
    const vertices = MAX_AOI_VERTICES + 1;
    const ring = Array.from({ length: vertices }, (_, i) => {
      const angle = (2 * Math.PI * i) / vertices;
      return [10 + 0.1 * Math.cos(angle), 45 + 0.1 * Math.sin(angle)];
    });
    expect(refusal(polygon([[...ring, ring[0]]]))).toBe(
      `aoi.geojson: has more than ${MAX_AOI_VERTICES} vertices; simplify it first`,
    );
    const padded = JSON.stringify(polygon(square(10, 45, 0.1))) + ' '.repeat(MAX_AOI_BYTES);
    expect(refusal(padded)).toMatch(/^aoi\.geojson: is \d+ bytes, more than the 1048576 allowed$/);
  });
});

describe('the outline coverage planning uses', () => {
  const circle = (vertices: number, radiusDegrees: number) => {
    const ring = Array.from({ length: vertices }, (_, i) => {
      const angle = (2 * Math.PI * i) / vertices;
      return [2.35 + radiusDegrees * Math.cos(angle), 41.6 + radiusDegrees * Math.sin(angle)];
    });
    return parseAoi(JSON.stringify(polygon([[...ring, ring[0]]])), 'circle.geojson');
  };

  test('an area of up to PLANNING_VERTICES vertices is planned as it is', () => {
    const aoi = circle(PLANNING_VERTICES, 0.2);
    expect(planningAoi(aoi)).toBe(aoi);
  });

  test('a 10,000-vertex outline is planned as a few hundred, within the tolerance of the original', () => {
    const aoi = circle(MAX_AOI_VERTICES - 1, 0.2);
    const planned = planningAoi(aoi);
    const vertices = planned.geometry.coordinates.flat().reduce((n, ring) => n + ring.length - 1, 0);
    expect(vertices).toBeLessThan(PLANNING_VERTICES);
    // The outlines part by at most the tolerance all round: the areas differ by less than perimeter x tolerance.
    const perimeterKm = 2 * Math.PI * 0.2 * 111.32;
    expect(Math.abs(planned.areaKm2 - aoi.areaKm2)).toBeLessThan((perimeterKm * PLANNING_TOLERANCE_METERS) / 1000);
    expect(planned.areaKm2).toBeGreaterThan(0.99 * aoi.areaKm2);
  });
});
