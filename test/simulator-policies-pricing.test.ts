/** Contracts (policies) of the caller's organisation, and v0/v1 pricing under them. */
import { ContractsResponse, PriceBatchResponse, PriceResponse } from '../src/datacosmos/api-schemas';
import { multiply, roundTo, toDecimal } from '../src/shared/money';
import { BLUE_FIELDS, call, getToken, type InProcessSimulator } from '../harness/simulator';
import { oneSimulatorPerFile } from './support/one-simulator';

let sim: InProcessSimulator;
let acme: string;
let item: { collection: string; id: string; area: number };
oneSimulatorPerFile({ items: 300 }, async (ready) => {
  ({ sim, token: acme } = ready);
  const search = await call(sim.url, 'GET', '/api/data/v0/stac/search?limit=2', { token: acme });
  const feature = search.body.features[0];
  item = { collection: feature.collection, id: feature.id, area: feature.properties['opencosmos:data_area_km2'] };
});

describe('policies', () => {
  test('lists active contracts, and inactive ones only when asked', async () => {
    const active = ContractsResponse.parse(
      (await call(sim.url, 'GET', '/api/data/v1/dpap/organisations/1001/policies', { token: acme })).body,
    );
    expect(active.data.map((c) => c.contract_id)).toEqual([5001, 5002, 5004]);
    expect(active.data.find((c) => c.default_contract)?.contract_id).toBe(5001);
    const all = await call(
      sim.url,
      'GET',
      '/api/data/v1/dpap/organisations/1001/policies?include_inactive_contracts=true',
      { token: acme },
    );
    expect(ContractsResponse.parse(all.body).data.map((c) => [c.contract_id, c.active])).toEqual([
      [5001, true],
      [5002, true],
      [5003, false],
      [5004, true],
    ]);
    expect(all.body.data[0]).not.toHaveProperty('rate_per_km2');
  });

  test("another organisation's policies are 403", async () => {
    const res = await call(sim.url, 'GET', '/api/data/v1/dpap/organisations/1002/policies', { token: acme });
    expect(res.status).toBe(403);
  });
});

describe('pricing', () => {
  const expected = (rate: string) => roundTo(multiply(rate, toDecimal(item.area)), 2);

  test('v1 and v0 single prices are rate x area, rounded to cents, with value == final', async () => {
    const v1 = await call(
      sim.url,
      'GET',
      `/api/data/v1/dpap/policies/5001/catalog/price?collection=${item.collection}&item=${item.id}`,
      { token: acme },
    );
    expect(v1.status).toBe(200);
    expect(v1.body.data).toEqual({ value: expected('2.50'), final: expected('2.50'), currency: 'EUR' });
    expect(PriceResponse.parse(v1.body).data.final).toBe(PriceResponse.parse(v1.body).data.value);
    const v0 = await call(
      sim.url,
      'GET',
      `/api/data/v0/order/price?collection=${item.collection}&item=${item.id}&contract_id=5002`,
      { token: acme },
    );
    expect(v0.body.data).toEqual({ value: expected('1.80'), final: expected('1.80'), currency: 'EUR' });
  });

  test('v1 and v0 batches price every item and name the first unknown one', async () => {
    const items = [{ collection: item.collection, item: item.id }];
    const v1 = await call(sim.url, 'POST', '/api/data/v1/dpap/policies/5001/catalog/price/batch', {
      token: acme,
      body: { items },
    });
    expect(PriceBatchResponse.parse(v1.body).data).toEqual([
      { collection: item.collection, item: item.id, value: expected('2.50'), final: expected('2.50'), currency: 'EUR' },
    ]);
    const v0 = await call(sim.url, 'POST', '/api/data/v0/order/price/batch', {
      token: acme,
      body: { contract_id: 5002, items },
    });
    expect(v0.body.data[0].final).toBe(expected('1.80'));
    const unknown = await call(sim.url, 'POST', '/api/data/v1/dpap/policies/5001/catalog/price/batch', {
      token: acme,
      body: {
        items: [
          ...items,
          { collection: item.collection, item: 'NOPE_1' },
          { collection: item.collection, item: 'NOPE_2' },
        ],
      },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].message).toContain('NOPE_1');
    const tooMany = Array.from({ length: 501 }, () => items[0]);
    expect(
      (
        await call(sim.url, 'POST', '/api/data/v1/dpap/policies/5001/catalog/price/batch', {
          token: acme,
          body: { items: tooMany },
        })
      ).status,
    ).toBe(400);
  });

  test('unknown items are 404 and unusable contracts are 4xx with a clear message', async () => {
    const price = (contract: number, id = item.id) =>
      call(
        sim.url,
        'GET',
        `/api/data/v1/dpap/policies/${contract}/catalog/price?collection=${item.collection}&item=${id}`,
        { token: acme },
      );
    expect((await price(5001, 'NOPE')).status).toBe(404);
    const inactive = await price(5003);
    expect(inactive.status).toBe(400);
    expect(inactive.body.errors[0].message).toMatch(/5003 is not active/);
    const ended = await price(5004);
    expect(ended.status).toBe(400);
    expect(ended.body.errors[0].message).toMatch(/5004 order window ended/);
    expect((await price(6001)).status).toBe(403);
    expect((await price(9999)).status).toBe(404);
    const blue = await getToken(sim.url, BLUE_FIELDS);
    const missing = await call(
      sim.url,
      'GET',
      `/api/data/v0/order/price?collection=${item.collection}&contract_id=6001`,
      { token: blue },
    );
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('item');
  });
});
