/**
 * Sub-area purchases in the simulator: the v0 price and order create take a line item's `geometry` (a closed
 * GeoJSON Polygon inside the item's footprint), price it by the clipped area at the contract's rate, refuse
 * anything else with the error envelope, and keep the geometry on the order.
 */
import turfArea from '@turf/area';
import { normalize } from '../src/shared/money';
import { findItems, orderBody, subAreaOf, type CatalogRef } from './support/orders';
import { ACME, call, getToken, startInProcess, type InProcessSimulator } from '../harness/simulator';

let sim: InProcessSimulator;
let token: string;
let item: CatalogRef;
const RATE = 2.5; // ACME's default contract, per km²

beforeAll(async () => {
  sim = await startInProcess({ items: 300 });
  token = await getToken(sim.url, ACME);
  [item] = await findItems(sim.url, token, ACME.contract, 1);
});
afterAll(() => sim.close());

function price(geometry?: unknown) {
  const query = new URLSearchParams({
    collection: item.collection,
    item: item.item,
    contract_id: String(ACME.contract),
  });
  if (geometry !== undefined) query.set('geometry', typeof geometry === 'string' ? geometry : JSON.stringify(geometry));
  return call(sim.url, 'GET', `/api/data/v0/order/price?${query}`, { token });
}

function createWith(geometry: unknown) {
  const body = orderBody(ACME.organisation, ACME.contract, [item]);
  body.data.order_line_items = [{ ...body.data.order_line_items[0], geometry, project_id: 'project-1' } as never];
  return call(sim.url, 'POST', '/api/data/v0/order/orders', { token, body });
}

/** The rate times the geodesic area, to the cent. */
const expected = (geometry: Parameters<typeof turfArea>[0]) => ((RATE * turfArea(geometry)) / 1e6).toFixed(2);

test('the v0 price of a sub-area is the rate times the clipped area; without geometry the whole item', async () => {
  const part = await subAreaOf(sim.url, token, item);
  const whole = await price();
  expect(whole.body.data).toMatchObject({ final: item.price, currency: 'EUR' });
  const clipped = await price(part);
  expect(clipped.status).toBe(200);
  expect(clipped.body.data).toEqual({ value: expected(part), final: expected(part), currency: 'EUR' });
  // Half the footprint's size each way: a quarter of its price (the catalog's area is nominal, not geodesic).
  expect(Number(clipped.body.data.final) / (Number(item.price) / 4)).toBeCloseTo(1, 2);
});

test('an order line item with a sub-area is priced by it and keeps its geometry and project', async () => {
  const part = await subAreaOf(sim.url, token, item);
  const created = await createWith(part);
  expect(created.status).toBe(201);
  expect(created.body.data.order_line_items[0]).toMatchObject({
    geometry: part,
    project_id: 'project-1',
    price: expected(part),
  });
  expect(created.body.data.total).toBe(normalize(expected(part)));
  const audit = (await sim.admin.orders(ACME.organisation)).find((o) => o.id === created.body.data.id);
  expect(audit?.items).toEqual([
    { collection: item.collection, item: item.item, price: expected(part), geometry: part, project_id: 'project-1' },
  ]);
});

describe('a geometry that is not a closed Polygon inside the footprint is refused with the error envelope', () => {
  const shifted = async () => {
    const part = await subAreaOf(sim.url, token, item);
    // Moved half a degree east: mostly outside the footprint.
    return { ...part, coordinates: [part.coordinates[0].map(([lon, lat]) => [lon + 0.5, lat])] };
  };
  const open = async () => {
    const part = await subAreaOf(sim.url, token, item);
    return { ...part, coordinates: [part.coordinates[0].slice(0, -1)] };
  };
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['outside the footprint', shifted, /outside the footprint of item .*: it must lie inside it/],
    ['a Point', async () => ({ type: 'Point', coordinates: [1, 2] }), /must be a GeoJSON Polygon, got "Point"/],
    ['an unclosed ring', open, /a linear ring must be closed/],
  ];

  test.each(cases)('%s: 400 on the v0 price and on order create, and no order', async (_name, make, message) => {
    const geometry = await make();
    const before = (await sim.admin.orders()).length;
    const priced = await price(geometry);
    expect(priced.status).toBe(400);
    expect(priced.body.errors[0]).toMatchObject({ field: 'geometry', type: 'validation_error' });
    expect(priced.body.errors[0].message).toMatch(message);
    const created = await createWith(geometry);
    expect(created.status).toBe(400);
    expect(created.body.errors[0].field).toBe('data.order_line_items.0.geometry');
    expect(created.body.errors[0].message).toMatch(message);
    expect((await sim.admin.orders()).length).toBe(before);
  });

  test('geometry that is not JSON: 400 naming the parameter', async () => {
    const priced = await price('{not json');
    expect(priced.status).toBe(400);
    expect(priced.body.errors[0]).toMatchObject({ field: 'geometry', message: 'geometry is not valid JSON' });
  });
});
