import booleanWithin from '@turf/boolean-within';
import type { Polygon } from 'geojson';
import { mulberry32 } from '../../../simulator/prng';
import { add, compare } from '../../../src/shared/money';
import { difference } from '../../../src/coverage/geometry';
import { planCoverage, type CoverageCandidate, type CoveragePlan } from '../../../src/coverage/plan';
import type { Box } from '../../../src/coverage/geometry';
import { aoiOf, box, fieldsAoi, km2, scene } from './shapes';

/** What every plan must satisfy, whatever its input. */
function expectConsistent(plan: CoveragePlan, candidates: CoverageCandidate[], maxClipVertices = 100): void {
  const sum = plan.picks.reduce((s, p) => s + p.newKm2, 0);
  expect(plan.coveredKm2).toBeCloseTo(sum, 6);
  expect(plan.coveragePct).toBeCloseTo((100 * plan.coveredKm2) / plan.aoiKm2, 9);
  expect(plan.coveragePct).toBeLessThanOrEqual(100 + 1e-6);
  // What the picks cover and what is left add up to the area. Not to the last digit: turf's area formula
  // works on vertices, and a vertex added on a long edge where shapes cross moves it by about 1e-5.
  expect(Math.abs(plan.coveredKm2 + km2(plan.uncovered) - plan.aoiKm2)).toBeLessThan(plan.aoiKm2 * 1e-4);
  expect(plan.cost).toBe(add('0', ...plan.picks.map((p) => p.price)));
  for (const pick of plan.picks) {
    const footprint = candidates.find((c) => c.item === pick.item)?.footprint as Polygon;
    expect(pick.footprint).toEqual(footprint);
    if (pick.owned) expect([pick.price, pick.geometry, pick.boughtKm2]).toEqual(['0', null, 0]);
    if (pick.geometry === null) continue;
    expect(booleanWithin(pick.geometry, footprint)).toBe(true);
    expect(
      km2({ type: 'MultiPolygon', coordinates: difference([pick.geometry.coordinates], [footprint.coordinates]) }),
    ).toBeLessThan(1e-9);
    expect(pick.geometry.coordinates.reduce((n, r) => n + r.length - 1, 0)).toBeLessThanOrEqual(maxClipVertices);
    for (const r of pick.geometry.coordinates) expect(r[0]).toEqual(r[r.length - 1]);
    expect(pick.boughtKm2).toBeCloseTo(km2(pick.geometry), 9);
  }
  if (plan.stoppedBy === 'target') expect(plan.coveragePct).toBeGreaterThanOrEqual(plan.targetPct - 1e-6);
}

const items = (plan: CoveragePlan) => plan.picks.map((p) => p.item);

describe('coverage planning on hand-made geometries', () => {
  test('an area exactly covered by two scenes is covered fully by those two, whole or clipped', () => {
    const aoi = aoiOf(box([10, 45, 10.2, 45.1]));
    const candidates = [
      scene('west', [10, 45, 10.1, 45.1]),
      scene('east', [10.1, 45, 10.2, 45.1]),
      scene('all-but-dearer', [9.9, 44.9, 10.3, 45.2], { price: { perKm2: '3' } }),
    ];
    const whole = planCoverage(aoi, candidates, { clip: false, minCoveragePct: 100 });
    expect(items(whole).sort()).toEqual(['east', 'west']);
    expect(whole.coveredKm2).toBeCloseTo(aoi.areaKm2, 6);
    expect(whole.coveragePct).toBeCloseTo(100, 6);
    expect(km2(whole.uncovered)).toBeLessThan(1e-6);
    expect(whole.stoppedBy).toBe('target');
    expect(whole.picks.every((p) => p.geometry === null)).toBe(true);
    expectConsistent(whole, candidates);

    const clipped = planCoverage(aoi, candidates, { minCoveragePct: 100 });
    expect(items(clipped).sort()).toEqual(['east', 'west']);
    expect(clipped.coveragePct).toBeCloseTo(100, 4);
    expectConsistent(clipped, candidates);
  });

  test('the naive baselines price every intersecting scene, whole and clipped to the area', () => {
    const aoi = aoiOf(box([10, 45, 10.2, 45.1]));
    const candidates = [
      scene('inside', [10.02, 45.02, 10.08, 45.08]),
      scene('half-out', [10.1, 45, 10.3, 45.1]),
      scene('far', [12, 45, 12.1, 45.1]),
      scene('owned', [10, 45, 10.05, 45.1], { owned: true }),
    ];
    const plan = planCoverage(aoi, candidates, { minCoveragePct: 50 });
    const inside = km2(box([10.02, 45.02, 10.08, 45.08]));
    const halfOutWhole = km2(box([10.1, 45, 10.3, 45.1]));
    const halfOutIn = km2(box([10.1, 45, 10.2, 45.1]));
    expect(plan.baselines?.intersecting).toBe(3);
    expect(Number(plan.baselines?.naiveCost)).toBeCloseTo(inside + halfOutWhole, 1);
    expect(Number(plan.baselines?.clippedCost)).toBeCloseTo(inside + halfOutIn, 1);
    expect(planCoverage(aoi, candidates, { baselines: false }).baselines).toBeNull();
  });

  test('an area with a hole: what falls in the hole covers nothing', () => {
    const aoi = aoiOf(box([10, 45, 10.2, 45.2], [10.05, 45.05, 10.15, 45.15]));
    const candidates = [
      scene('in-the-hole', [10.06, 45.06, 10.14, 45.14], { price: { perKm2: '0.1' } }),
      scene('west-half', [10, 45, 10.1, 45.2]),
      scene('east-half', [10.1, 45, 10.2, 45.2]),
    ];
    const plan = planCoverage(aoi, candidates, { clip: false, minCoveragePct: 100 });
    expect(items(plan).sort()).toEqual(['east-half', 'west-half']);
    const westPart = km2(box([10, 45, 10.1, 45.2], [10.05, 45.05, 10.1, 45.15]));
    expect(plan.picks.find((p) => p.item === 'west-half')?.newKm2).toBeCloseTo(westPart, 6);
    expect(plan.coveredKm2).toBeCloseTo(aoi.areaKm2, 6);
    expect(plan.baselines?.intersecting).toBe(2);
    expectConsistent(plan, candidates);
  });

  test('a multipolygon area: separate parts are covered by separate scenes, or one clipped to both', () => {
    const aoi = fieldsAoi([10, 45, 10.05, 45.05], [10.3, 45, 10.35, 45.05]);
    const candidates = [
      scene('over-both', [9.99, 44.99, 10.36, 45.06]),
      scene('left', [9.99, 44.99, 10.06, 45.06], { price: { perKm2: '1.5' } }),
      scene('right', [10.29, 44.99, 10.36, 45.06], { price: { perKm2: '1.5' } }),
    ];
    // Whole scenes: the two small ones cost far less than the big one.
    const whole = planCoverage(aoi, candidates, { clip: false, minCoveragePct: 100 });
    expect(items(whole).sort()).toEqual(['left', 'right']);
    expect(whole.coveragePct).toBeCloseTo(100, 6);
    // Clipped, every scene costs the same per km²: the big one buys the larger of its two pieces (its hull
    // would pay for the gap between them), and a scene is bought once, so the other piece comes from its own.
    const clipped = planCoverage(aoi, candidates, { minCoveragePct: 100 });
    expect(clipped.coveragePct).toBeCloseTo(100, 3);
    expect(clipped.picks[0].item).toBe('over-both');
    expect(km2(clipped.picks[0].geometry as Polygon)).toBeLessThan(aoi.areaKm2);
    expectConsistent(clipped, candidates);
  });

  test('a scene with no other over a piece of its part buys all its pieces: it is bought once, so a piece left is left bare', () => {
    const aoi = fieldsAoi([0, 0, 0.012, 0.012], [0.2, 0, 0.209, 0.009]);
    const candidates = [scene('only', [-0.1, -0.1, 0.3, 0.1])];
    const plan = planCoverage(aoi, candidates, { minCoveragePct: 100, budget: '100000' });
    // The larger field alone was cheaper per km², and the plan stopped at 60 %, saying no scene adds coverage.
    expect(plan.coveragePct).toBeCloseTo(100, 3);
    expect(plan.stoppedBy).toBe('target');
    expectConsistent(plan, candidates);
    // Nor does a scene that only reaches 55 m into the small field, or one that covers it at a price over the budget.
    for (const [other, budget] of [
      [scene('edge', [0.2085, -0.1, 0.5, 0.1]), '100000'],
      [scene('dear', [0.15, -0.05, 0.25, 0.05], { price: { perKm2: '1000' } }), '40'],
    ] as const) {
      const withOther = planCoverage(aoi, [...candidates, other], { minCoveragePct: 100, budget });
      expect([other.item, withOther.coveragePct]).toEqual([other.item, expect.closeTo(100, 3)]);
      expectConsistent(withOther, [...candidates, other]);
    }
  });

  test('owned imagery counts as free coverage and is taken first', () => {
    const aoi = aoiOf(box([10, 45, 10.2, 45.1]));
    const candidates = [
      scene('cheap-all', [10, 45, 10.2, 45.1], { price: { perKm2: '0.01' } }),
      scene('owned-west', [10, 45, 10.1, 45.1], { owned: true, price: { perKm2: '5' } }),
    ];
    const plan = planCoverage(aoi, candidates, { minCoveragePct: 100 });
    expect(items(plan)).toEqual(['owned-west', 'cheap-all']);
    expect(plan.picks[0].price).toBe('0');
    expect(plan.picks[0].newKm2).toBeCloseTo(km2(box([10, 45, 10.1, 45.1])), 6);
    // Only the east half (and its margin) is bought.
    expect(plan.picks[1].boughtKm2).toBeLessThan(0.55 * aoi.areaKm2);
    expect(plan.cost).toBe(plan.picks[1].price);
    expectConsistent(plan, candidates);
  });

  test('a budget stops the plan at the coverage it reached, within the budget', () => {
    const aoi = aoiOf(box([10, 45, 10.3, 45.1]));
    const candidates = [
      scene('a', [10, 45, 10.1, 45.1], { price: { scene: '100' } }),
      scene('b', [10.1, 45, 10.2, 45.1], { price: { scene: '100' } }),
      scene('c', [10.2, 45, 10.3, 45.1], { price: { scene: '100' } }),
    ];
    const plan = planCoverage(aoi, candidates, { budget: '250' });
    expect(plan.stoppedBy).toBe('budget');
    expect(plan.picks).toHaveLength(2);
    expect(plan.cost).toBe('200');
    expect(compare(plan.cost, '250')).toBeLessThanOrEqual(0);
    expect(plan.coveragePct).toBeCloseTo(200 / 3, 1);
    expectConsistent(plan, candidates);
    // Without the budget the same candidates reach the target.
    expect(planCoverage(aoi, candidates).stoppedBy).toBe('target');
    // A scene price prices the whole scene even when clipping: nothing is clipped.
    expect(plan.picks.every((p) => p.geometry === null)).toBe(true);
  });

  test('the preference chooses among equal offers, and accepts a somewhat dearer one it likes', () => {
    const aoi = aoiOf(box([10, 45, 10.1, 45.1]));
    const old = scene('old-clear', [10, 45, 10.1, 45.1], { datetime: '2026-01-01T00:00:00Z', cloudCover: 2 });
    const recent = scene('new-cloudy', [10, 45, 10.1, 45.1], { datetime: '2026-09-01T00:00:00Z', cloudCover: 30 });
    const candidates = [old, recent];
    expect(items(planCoverage(aoi, candidates, { prefer: 'newest' }))).toEqual(['new-cloudy']);
    expect(items(planCoverage(aoi, candidates, { prefer: 'least-cloud' }))).toEqual(['old-clear']);
    const dearerRecent = { ...recent, price: { perKm2: '1.15' } };
    expect(items(planCoverage(aoi, [old, dearerRecent], { prefer: 'newest' }))).toEqual(['new-cloudy']);
    expect(items(planCoverage(aoi, [old, dearerRecent], { prefer: 'cheapest' }))).toEqual(['old-clear']);
    // Far dearer is more than the preference accepts.
    const farDearer = { ...recent, price: { perKm2: '2' } };
    expect(items(planCoverage(aoi, [old, farDearer], { prefer: 'newest' }))).toEqual(['old-clear']);
  });

  test('clipped parts lie inside their footprints, within the vertex limit, and cost less than whole scenes', () => {
    const aoi = aoiOf({
      type: 'Polygon',
      coordinates: [
        Array.from({ length: 61 }, (_, i) => {
          const angle = (2 * Math.PI * (i % 60)) / 60;
          return [10 + 0.15 * Math.cos(angle), 45 + 0.1 * Math.sin(angle)];
        }),
      ],
    });
    const tilted = (item: string, lon: number, lat: number, tilt: number): CoverageCandidate => {
      const corners = [
        [-1, -1],
        [1, -1],
        [1, 1],
        [-1, 1],
      ].map(([x, y]) => [
        lon + 0.12 * (x * Math.cos(tilt) - y * Math.sin(tilt)),
        lat + 0.08 * (x * Math.sin(tilt) + y * Math.cos(tilt)),
      ]);
      return { ...scene(item, [0, 0, 0, 0]), footprint: { type: 'Polygon', coordinates: [[...corners, corners[0]]] } };
    };
    const candidates = [tilted('a', 9.93, 44.95, 0.2), tilted('b', 10.08, 44.96, -0.15), tilted('c', 10, 45.07, 0.1)];
    const plan = planCoverage(aoi, candidates, { minCoveragePct: 90, maxClipVertices: 16 });
    expect(plan.picks.length).toBeGreaterThan(0);
    expect(plan.picks.some((p) => p.geometry !== null)).toBe(true);
    // At a rate of 1 per km², a whole scene costs its area.
    for (const pick of plan.picks) expect(Number(pick.price)).toBeLessThanOrEqual(km2(pick.footprint) + 0.01);
    expectConsistent(plan, candidates, 16);
  });

  test('the same input in any order gives the same plan', () => {
    const aoi = aoiOf(box([10, 45, 10.3, 45.2]));
    const candidates = randomScenes(42, [10, 45, 10.3, 45.2], 25);
    const plan = JSON.stringify(planCoverage(aoi, candidates));
    expect(JSON.stringify(planCoverage(aoi, [...candidates].reverse()))).toBe(plan);
    expect(JSON.stringify(planCoverage(aoi, shuffled(candidates, 7)))).toBe(plan);
  });

  test('refuses a candidate given twice, a price that is not decimal, and bad options', () => {
    const aoi = aoiOf(box([10, 45, 10.1, 45.1]));
    const one = scene('a', [10, 45, 10.1, 45.1]);
    expect(() => planCoverage(aoi, [one, one])).toThrow('candidate menut-l1c-cogs/a is given twice');
    expect(() => planCoverage(aoi, [{ ...one, price: { perKm2: '1,5' } }])).toThrow('has no decimal price');
    expect(() => planCoverage(aoi, [one], { minCoveragePct: 0 })).toThrow('minimum coverage');
    expect(() => planCoverage(aoi, [one], { budget: '-1' })).toThrow('budget "-1"');
  });

  test('property: random rectangles always give a consistent plan', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const random = mulberry32(seed);
      const west = 10 + random() * 0.5;
      const south = 45 + random() * 0.5;
      const bounds: Box = [west, south, west + 0.05 + random() * 0.3, south + 0.05 + random() * 0.2];
      const aoi = aoiOf(box(bounds));
      const candidates = randomScenes(seed, bounds, 5 + Math.floor(random() * 25));
      const budget = seed % 3 === 0 ? String(Math.round(aoi.areaKm2 * 0.6)) : undefined;
      for (const clip of [true, false]) {
        const plan = planCoverage(aoi, candidates, { clip, budget, minCoveragePct: 90 + random() * 10 });
        expectConsistent(plan, candidates);
        if (budget !== undefined) expect(compare(plan.cost, budget)).toBeLessThanOrEqual(0);
        const { naiveCost, clippedCost } = plan.baselines as { naiveCost: string; clippedCost: string };
        expect(compare(clippedCost, naiveCost)).toBeLessThanOrEqual(0);
      }
    }
  });
});

function randomScenes(seed: number, [west, south, east, north]: Box, count: number): CoverageCandidate[] {
  const random = mulberry32(seed * 7919);
  return Array.from({ length: count }, (_, i) => {
    const [w, h] = [(east - west) * (0.2 + random() * 0.6), (north - south) * (0.2 + random() * 0.6)];
    const x = west - w / 2 + random() * (east - west);
    const y = south - h / 2 + random() * (north - south);
    return scene(`s${i}`, [x, y, x + w, y + h], {
      datetime: new Date(Date.UTC(2026, 0, 1 + Math.floor(random() * 300))).toISOString(),
      cloudCover: Math.round(random() * 50),
      price: random() < 0.2 ? { scene: String(Math.round(random() * 500)) } : { perKm2: (0.5 + random()).toFixed(2) },
      owned: random() < 0.1,
    });
  });
}

function shuffled<T>(values: T[], seed: number): T[] {
  const random = mulberry32(seed);
  return values
    .map((value) => ({ value, key: random() }))
    .sort((a, b) => a.key - b.key)
    .map((v) => v.value);
}
