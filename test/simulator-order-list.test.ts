/** Listing orders: newest first, status and created_after filters, cursor paging, own organisation only. */
import { OrderList } from '../src/datacosmos/api-schemas';
import { toOrderPage } from '../src/datacosmos/order-page';
import { createOrder } from './support/orders';
import { ACME, call, type InProcessSimulator } from '../harness/simulator';
import { oneSimulatorPerFile } from './support/one-simulator';

let sim: InProcessSimulator;
let acme: string;
let ids: string[];
oneSimulatorPerFile({ items: 300, catalogItems: 25 }, async (ready) => {
  ({ sim, token: acme } = ready);
  ids = [];
  for (const item of ready.items)
    ids.push((await createOrder(sim.url, acme, ACME.organisation, ACME.contract, [item])).id);
  await sim.admin.cancelOrder(ids[3]);
  await sim.admin.cancelOrder(ids[7]);
});

const list = (query: string) => call(sim.url, 'GET', `/api/data/v0/order/orders?${query}`, { token: acme });

test('pages through all orders newest first with no gaps or duplicates', async () => {
  const seen: string[] = [];
  let query = 'organisation=1001&limit=7';
  for (;;) {
    const page = OrderList.parse((await list(query)).body);
    expect(page.data.length).toBeLessThanOrEqual(7);
    seen.push(...page.data.map((o) => (o as { id: string }).id));
    const next = toOrderPage(page).nextCursor;
    if (!next) break;
    query = `organisation=1001&limit=7&cursor=${encodeURIComponent(next)}`;
  }
  expect(seen).toEqual([...ids].reverse());
  expect((await list('organisation=1001')).body.data).toHaveLength(25);
});

test('filters by status and created_after', async () => {
  const cancelled = await list('organisation=1001&status=CANCELLED');
  expect(cancelled.body.data.map((o: { id: string }) => o.id)).toEqual([ids[7], ids[3]]);
  const all = (await list('organisation=1001&limit=200')).body.data;
  const pivot = all.find((o: { id: string }) => o.id === ids[19]).created_at;
  const after = await list(`organisation=1001&limit=200&created_after=${encodeURIComponent(pivot)}`);
  for (const order of after.body.data) expect(Date.parse(order.created_at)).toBeGreaterThan(Date.parse(pivot));
  expect(after.body.data.map((o: { id: string }) => o.id)).toContain(ids[24]);
  expect(after.body.data.map((o: { id: string }) => o.id)).not.toContain(ids[0]);
});

test.each([
  ['organisation=1001&limit=201', 400],
  ['organisation=1001&status=LOST', 400],
  ['organisation=1001&created_after=last-week', 400],
  ['organisation=1001&cursor=garbage', 400],
  ['limit=5', 400],
  ['organisation=1002', 403],
])('%s -> %i', async (query, status) => {
  expect((await list(query)).status).toBe(status);
});
