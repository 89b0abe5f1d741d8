/** Fault injection: each fault kind, the seeded PRNG's reproducibility, and loading the config from --faults FILE. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Order } from '../src/datacosmos/api-schemas';
import type { FaultConfig } from '../simulator/faults';
import { createOrder, orderBody, type CatalogRef } from './support/orders';
import { ACME, call, getToken, spawnSimulator, tempDataDir, type InProcessSimulator } from '../harness/simulator';
import { oneSimulatorPerFile } from './support/one-simulator';

let sim: InProcessSimulator;
let token: string;
let items: CatalogRef[];
oneSimulatorPerFile({ items: 300, catalogItems: 5 }, (ready) => ({ sim, token, items } = ready));
afterEach(() => sim.admin.setFaults({}));

const POLICIES = '/api/data/v1/dpap/organisations/1001/policies';
const only = (endpoint: string, spec: Record<string, number>): FaultConfig => ({
  seed: 7,
  endpoints: { [endpoint]: spec },
});

test('error5xx answers 503 with the error envelope; other endpoints are untouched', async () => {
  await sim.admin.setFaults(only('policies', { error5xx: 1 }));
  const res = await call(sim.url, 'GET', POLICIES, { token });
  expect(res.status).toBe(503);
  expect(res.body.errors[0].message).toMatch(/simulated fault/);
  expect((await call(sim.url, 'GET', '/api/data/v0/stac/collections', { token })).status).toBe(200);
});

test('rateLimit429 answers 429 with Retry-After', async () => {
  await sim.admin.setFaults(only('policies', { rateLimit429: 1, retryAfterS: 2 }));
  const res = await call(sim.url, 'GET', POLICIES, { token });
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe('2');
  expect(res.body.errors).toHaveLength(1);
});

/** An order create of this item through a fault of the create endpoint, which fails: the organisation's orders around it. */
async function createThroughFault(fault: 'reset' | 'lostReply', item: CatalogRef) {
  await sim.admin.setFaults(only('order_create', { [fault]: 1 }));
  const before = (await sim.admin.orders()).length;
  const body = orderBody(1001, 5001, [item]);
  await expect(call(sim.url, 'POST', '/api/data/v0/order/orders', { token, body })).rejects.toThrow();
  return { before, after: await sim.admin.orders() };
}

test('reset drops the connection before anything is done', async () => {
  const { before, after } = await createThroughFault('reset', items[0]);
  expect(after).toHaveLength(before);
  expect((await sim.admin.stats()).endpoints.order_create.statuses.reset).toBe(1);
});

test('lostReply commits the change, then drops the connection without a reply', async () => {
  const { before, after } = await createThroughFault('lostReply', items[1]);
  expect(after).toHaveLength(before + 1);
  expect(after[after.length - 1].items[0].item).toBe(items[1].item);
});

test('hang never answers (the client gives up), or answers normally after hangMs', async () => {
  await sim.admin.setFaults(only('policies', { hang: 1 }));
  await expect(
    fetch(`${sim.url}${POLICIES}`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(300) }),
  ).rejects.toThrow();
  await sim.admin.setFaults(only('policies', { hang: 1, hangMs: 50 }));
  expect((await call(sim.url, 'GET', POLICIES, { token })).status).toBe(200);
});

test('malformed answers 200 with a body that is not JSON', async () => {
  await sim.admin.setFaults(only('policies', { malformed: 1 }));
  const res = await call(sim.url, 'GET', POLICIES, { token });
  expect(res.status).toBe(200);
  expect(() => JSON.parse(res.text)).toThrow();
});

test('schemaDrift renames order status and drops price final/value', async () => {
  const order = await createOrder(sim.url, token, 1001, 5001, items.slice(2, 3));
  await sim.admin.setFaults({ seed: 1, endpoints: { order_get: { schemaDrift: 1 }, price: { schemaDrift: 1 } } });
  const drifted = await call(sim.url, 'GET', `/api/data/v0/order/orders/${order.id}`, { token });
  expect(drifted.status).toBe(200);
  expect(drifted.body.data.state).toBe('UNPAID');
  expect(drifted.body.data).not.toHaveProperty('status');
  expect(Order.safeParse(drifted.body.data).success).toBe(false);
  const price = await call(
    sim.url,
    'GET',
    `/api/data/v1/dpap/policies/5001/catalog/price?collection=${items[0].collection}&item=${items[0].item}`,
    { token },
  );
  expect(price.body.data).toEqual({ currency: 'EUR' });
});

test('the same seed gives the same fault sequence; "*" covers every endpoint; bad configs are refused', async () => {
  const config = { seed: 99, endpoints: { '*': { error5xx: 0.5 } } };
  const run = async () => {
    await sim.admin.setFaults(config);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await call(sim.url, 'GET', POLICIES, { token })).status);
    return statuses;
  };
  const first = await run();
  expect(first).toContain(503);
  expect(first).toContain(200);
  expect(await run()).toEqual(first);
  expect(await sim.admin.faults()).toMatchObject(config);
  const bad = await call(sim.url, 'PUT', '/__sim/faults', { body: { endpoints: { orders: { error5xx: 2 } } } });
  expect(bad.status).toBe(400);
});

test('--faults FILE loads the same configuration at start', async () => {
  const file = path.join(tempDataDir(), 'faults.json');
  const config = { seed: 3, endpoints: { stac_collections: { error5xx: 1 } } };
  writeFileSync(file, JSON.stringify(config));
  const proc = await spawnSimulator({ args: ['--items', '100', '--faults', file] });
  try {
    expect(await proc.admin.faults()).toMatchObject(config);
    const t = await getToken(proc.url, ACME);
    expect((await call(proc.url, 'GET', '/api/data/v0/stac/collections', { token: t })).status).toBe(503);
  } finally {
    await proc.stop();
  }
});
