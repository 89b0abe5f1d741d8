/** STAC search: every filter, validation of bad input, and cursor paging (GET and POST) with no gaps or duplicates. */
import { StacItemCollection } from '../src/datacosmos/api-schemas';
import { ACME, BLUE_FIELDS, call, getToken, startInProcess, type InProcessSimulator } from '../harness/simulator';

let sim: InProcessSimulator;
let token: string;
const SEARCH = '/api/data/v0/stac/search';
beforeAll(async () => {
  sim = await startInProcess({ items: 1200 });
  token = await getToken(sim.url, ACME);
});
afterAll(() => sim.close());

const get = (query: string) => call(sim.url, 'GET', `${SEARCH}?${query}`, { token });
const post = (body: unknown) => call(sim.url, 'POST', SEARCH, { token, body });

type Reply = Awaited<ReturnType<typeof get>>;
type NextLink = ReturnType<typeof StacItemCollection.parse>['links'][number];

/** Every item id of a search, following its next links (each checked by `follow`, which fetches the next page). */
async function allPages(first: Promise<Reply>, follow: (next: NextLink) => Promise<Reply>): Promise<string[]> {
  const ids: string[] = [];
  let res = await first;
  for (;;) {
    const page = StacItemCollection.parse(res.body);
    ids.push(...page.features.map((f) => f.id));
    const next = page.links.find((l) => l.rel === 'next');
    if (!next) return ids;
    res = await follow(next);
  }
}

const allPagesGet = (query: string) =>
  allPages(get(query), (next) => {
    expect(next.href).toContain('cursor=');
    return call(sim.url, 'GET', next.href.slice(sim.url.length), { token });
  });

const allPagesPost = (body: Record<string, unknown>) =>
  allPages(post(body), (next) => {
    expect(next.method).toBe('POST');
    return post(next.body);
  });

test('GET and POST page through every match once, in datetime-desc order, matching numberMatched', async () => {
  const first = await get('collections=menut-l1c-cogs,hammer-l1c-cogs&limit=37');
  const matched = first.body.numberMatched;
  expect(matched).toBeGreaterThan(300);
  expect(first.body.numberReturned).toBe(37);
  expect(first.body.context).toEqual({ returned: 37, limit: 37, matched });
  const viaGet = await allPagesGet('collections=menut-l1c-cogs,hammer-l1c-cogs&limit=37');
  const viaPost = await allPagesPost({ collections: ['menut-l1c-cogs', 'hammer-l1c-cogs'], limit: 37 });
  expect(viaGet).toHaveLength(matched);
  expect(new Set(viaGet).size).toBe(matched);
  expect(viaPost).toEqual(viaGet);
  const everything = await allPagesPost({ limit: 1000 });
  expect(everything).toHaveLength(1200);
  const expectedOrder = everything.filter((id) => id.startsWith('MENUT_') || id.startsWith('HAMMER_'));
  expect(viaGet).toEqual(expectedOrder);
});

test('a search by ids pages as a filter over the whole catalog would: catalog order, cursors, numberMatched', async () => {
  const everything = await allPagesPost({ limit: 1000 });
  // Out of order, repeated, one unknown: the page holds each match once, in catalog order.
  const wanted = [everything[900], everything[3], everything[450], everything[3], 'NO_SUCH_ITEM', everything[7]];
  const inCatalogOrder = [everything[3], everything[7], everything[450], everything[900]];
  const first = await post({ ids: wanted, limit: 3 });
  expect(first.body.numberMatched).toBe(4);
  expect(await allPagesPost({ ids: wanted, limit: 3 })).toEqual(inCatalogOrder);
  expect(await allPagesGet(`ids=${wanted.join(',')}&limit=1`)).toEqual(inCatalogOrder);
  const narrowed = await allPagesPost({ ids: wanted, collections: [first.body.features[0].collection] });
  expect(narrowed).toEqual(inCatalogOrder.filter((id) => narrowed.includes(id)));
  expect(narrowed).toContain(everything[3]);
});

test('ids, datetime intervals and the query extension filter', async () => {
  const sample = (await post({ limit: 5 })).body.features;
  const byIds = await get(`ids=${sample[1].id},${sample[3].id}`);
  expect(byIds.body.features.map((f: { id: string }) => f.id)).toEqual([sample[1].id, sample[3].id]);
  const instant = await post({ datetime: sample[2].properties.datetime });
  expect(instant.body.features.map((f: { id: string }) => f.id)).toContain(sample[2].id);
  const interval = await post({ datetime: '2024-01-01T00:00:00Z/2024-01-31T23:59:59Z', limit: 1000 });
  expect(interval.body.numberMatched).toBeGreaterThan(0);
  for (const f of interval.body.features) expect(f.properties.datetime.startsWith('2024-01')).toBe(true);
  const openEnd = await get('datetime=2025-06-01T00:00:00Z/..&limit=1000');
  const openStart = await get('datetime=../2025-06-01T00:00:00Z&limit=1000');
  expect(openEnd.body.numberMatched + openStart.body.numberMatched).toBe(1200);
  const clear = await post({ query: { 'eo:cloud_cover': { lt: 20 }, gsd: { eq: 5 } }, limit: 1000 });
  expect(clear.body.numberMatched).toBeGreaterThan(0);
  for (const f of clear.body.features) {
    expect(f.properties['eo:cloud_cover']).toBeLessThan(20);
    expect(f.collection).toBe('menut-l1c-cogs');
  }
});

test('bbox (also across the antimeridian) and intersects filter by real footprints', async () => {
  const europe = await get('bbox=-10,35,30,60&limit=1000');
  expect(europe.body.numberMatched).toBeGreaterThan(0);
  for (const f of europe.body.features) {
    const [w, s, e, n] = f.bbox;
    expect(w <= 30 && e >= -10 && s <= 60 && n >= 35).toBe(true);
  }
  const wrapped = await get('bbox=170,-60,-170,70&limit=1000');
  for (const f of wrapped.body.features) expect(f.bbox[2] >= 170 || f.bbox[0] <= -170).toBe(true);
  const west = await get('bbox=170,-60,180,70&limit=1000');
  const east = await get('bbox=-180,-60,-170,70&limit=1000');
  expect(wrapped.body.numberMatched).toBe(west.body.numberMatched + east.body.numberMatched);

  const target = (await post({ limit: 1 })).body.features[0];
  const ring: [number, number][] = target.geometry.coordinates[0];
  const [cx, cy] = [(ring[0][0] + ring[2][0]) / 2, (ring[0][1] + ring[2][1]) / 2];
  const point = await post({ intersects: { type: 'Point', coordinates: [cx, cy] }, limit: 1000 });
  expect(point.body.features.map((f: { id: string }) => f.id)).toContain(target.id);
  // A ring around the footprint whose hole contains it intersects nothing of it.
  const [w, s, e, n] = target.bbox;
  const outer = [
    [w - 1, s - 1],
    [e + 1, s - 1],
    [e + 1, n + 1],
    [w - 1, n + 1],
    [w - 1, s - 1],
  ];
  const hole = [
    [w - 0.5, s - 0.5],
    [w - 0.5, n + 0.5],
    [e + 0.5, n + 0.5],
    [e + 0.5, s - 0.5],
    [w - 0.5, s - 0.5],
  ];
  const donut = await post({ intersects: { type: 'Polygon', coordinates: [outer, hole] }, limit: 1000 });
  expect(donut.body.features.map((f: { id: string }) => f.id)).not.toContain(target.id);
  const filled = await post({ intersects: { type: 'MultiPolygon', coordinates: [[outer]] }, limit: 1000 });
  expect(filled.body.features.map((f: { id: string }) => f.id)).toContain(target.id);
});

test('contract_id adds prices of the caller’s contract; a foreign contract is refused', async () => {
  const priced = await post({ limit: 3, contract_id: 5001 });
  for (const f of priced.body.features) {
    expect(f.properties['opencosmos:price']).toMatch(/^\d+\.\d{2}$/);
    expect(f.properties['opencosmos:price_currency']).toBe('EUR');
  }
  expect((await post({ contract_id: 6001 })).status).toBe(403);
  const blue = await getToken(sim.url, BLUE_FIELDS);
  expect((await call(sim.url, 'POST', SEARCH, { token: blue, body: { contract_id: 9999 } })).status).toBe(404);
});

test.each([
  ['bbox with latitude out of range', 'bbox=0,-95,10,10', 'bbox'],
  ['bbox with south above north', 'bbox=0,20,10,10', 'bbox'],
  ['bbox with three numbers', 'bbox=0,20,10', 'bbox'],
  ['a datetime that is not RFC 3339', 'datetime=yesterday', 'datetime'],
  ['an interval open at both ends', 'datetime=../..', 'datetime'],
  ['a limit above 1000', 'limit=1001', 'limit'],
  ['a query on a text property', `query=${encodeURIComponent('{"platform":{"eq":1}}')}`, 'query'],
  ['a forged cursor', 'cursor=bm9wZQ', 'cursor'],
])('rejects %s with 400', async (_name, query, field) => {
  const res = await get(query);
  expect(res.status).toBe(400);
  expect(res.body.errors[0].field ?? '').toContain(field);
});

test('POST rejects unknown fields and bad intersects geometry', async () => {
  expect((await post({ colections: ['x'] })).status).toBe(400);
  const open = await post({
    intersects: {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
    },
  });
  expect(open.status).toBe(400);
  expect(open.body.errors[0].message).toMatch(/closed/);
});
