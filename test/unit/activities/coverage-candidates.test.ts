/**
 * Rules of the coverage planning activity that need no catalog: which footprints can be planned with, and the budget
 * a plan is made again with when the API's sub-area prices take it over the batch's budget.
 */
import { candidateOf, nextPlanBudget, polygonal } from '../../../src/activities/coverage';

const ring = [
  [10, 45],
  [10.1, 45],
  [10.1, 45.1],
  [10, 45.1],
  [10, 45],
];

test('a footprint whose ring is not closed is no candidate: the polygon operations throw on it at every retry', () => {
  expect(polygonal({ type: 'Polygon', coordinates: [ring] })).not.toBeNull();
  expect(polygonal({ type: 'Polygon', coordinates: [ring.slice(0, 4)] })).toBeNull();
  expect(polygonal({ type: 'MultiPolygon', coordinates: [[ring], [ring.slice(0, 4)]] })).toBeNull();
});

test('planned again, the budget is cut by the share the API prices went over, not by the whole overage', () => {
  // Charged twice the estimates: half the budget, whose plan then fits (it was cut to nothing).
  expect(nextPlanBudget('100', '100', '200')).toBe('50');
  expect(nextPlanBudget('100', '100', '125')).toBe('80');
  // A second cut applies to the budget the last plan was made with.
  expect(nextPlanBudget('50', '100', '110')).toBe('45.4545455');
});

test('a scene with no processing level is no candidate unless owned: it cannot be ordered, and its part would stay bare', () => {
  const none = { owned: new Map(), ownedParts: new Map(), inFlight: new Map(), unknown: null };
  const scene = (level?: string) =>
    ({
      id: 'S1',
      collection: 'c',
      geometry: { type: 'Polygon', coordinates: [ring] },
      properties: { datetime: '2024-01-01T00:00:00Z', ...(level ? { 'processing:level': level } : {}) },
      links: [],
      assets: {},
    }) as unknown as Parameters<typeof candidateOf>[0];
  const price = { price: '10', currency: 'EUR' };
  expect(candidateOf(scene('L1C'), price, none)).toHaveLength(1);
  expect(candidateOf(scene(), price, none)).toEqual([]);
  const owned = { ...none, owned: new Map([['c/S1', 'order-1']]) };
  expect(candidateOf(scene(), undefined, owned)).toMatchObject([{ item: 'S1', owned: true }]);
});
