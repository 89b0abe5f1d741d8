/**
 * Purchases paid with credits at checkout, against the simulator and a real Temporal server: the API calls, levels,
 * search attributes, workflow tasks, a repeated purchase, sub-areas (credits at create: test/api-variants.test.ts).
 */
import { startPurchase } from '../src/workflow-client/purchase-client';
import type { PurchaseResult } from '../src/shared/purchase-types';
import { subAreaOf } from './support/orders';
import { searchWithPrices } from './support/batch-env';
import { until } from '../harness/until';
import { runDcp } from './support/dcp';
import { onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));

const findPriced = (item: { collection: string; item: string }) =>
  searchWithPrices(env, { collections: [item.collection], ids: [item.item] }, 1);

function apiCalls(stats: { endpoints: Record<string, { requests: number }> }): Record<string, number> {
  return Object.fromEntries(
    Object.entries(stats.endpoints)
      .filter(([name]) => name !== 'token' && name !== 'admin')
      .map(([name, s]) => [name, s.requests]),
  );
}

test('credits at checkout: paid at once, one order, credits charged, three API calls (catalog with prices, create, checkout)', async () => {
  // A first purchase warms the worker's contract cache.
  await (await env.buy({ items: await env.items(1) })).result();
  const items = await env.items(2);
  const before = await env.admin.credits(1001);
  await env.admin.clearStats();

  const handle = await env.buy({ items });
  const result: PurchaseResult = await handle.result();

  expect(result).toMatchObject({
    end: 'COMPLETED',
    orderStatus: 'PAID',
    paymentMethod: 'NOT_REQUIRED',
    checkoutUrl: null,
    currency: 'EUR',
  });
  const orders = (await env.admin.orders(1001)).filter((o) => o.id === result.orderId);
  expect(orders).toHaveLength(1);
  expect(orders[0].items.map((i) => i.item).sort()).toEqual(items.map((i) => i.item).sort());
  expect(orders[0].checkout_count).toBe(1);
  const after = await env.admin.credits(1001);
  expect(Number(before) - Number(after)).toBeCloseTo(Number(result.total), 2);
  expect(apiCalls(await env.admin.stats())).toEqual({ stac_search: 1, order_create: 1, order_checkout: 1 });
});

test('a level the catalog does not give the item fails before any order; an omitted one is filled in', async () => {
  const [wrong] = await env.items(1);
  const refused = await (await env.buy({ items: [{ ...wrong, level: 'L9' }] })).result();
  expect(refused).toMatchObject({ end: 'FAILED', orderId: null });
  expect(refused.reason).toBe(
    `${wrong.collection}/${wrong.item} has processing level ${wrong.level} in the catalog, not L9`,
  );

  const [item] = await env.items(1, 'mantis-l1d-cogs');
  await env.admin.clearStats();
  const result = await (await env.buy({ items: [{ collection: item.collection, item: item.item }] })).result();
  expect(result.end).toBe('COMPLETED');
  expect(result.lineItems[0]).toMatchObject({ level: item.level, currency: 'EUR' });
  expect(apiCalls(await env.admin.stats())).toEqual({ stac_search: 1, order_create: 1, order_checkout: 1 });
});

test('the purchase is visible through search attributes and its history stays small and holds no secret', async () => {
  const result = await (await env.buy({ items: await env.items(1) })).result();
  const query = `PurchaseStage = "COMPLETED" AND DataCosmosOrderId = "${result.orderId}" AND OrganisationId = "1001"`;
  const listing = async () => {
    const ids: string[] = [];
    for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
    return ids;
  };
  const found = await until('the purchase listed by its order', listing, (ids) => ids.length > 0, 5_000);
  expect(found).toEqual([result.purchaseId]);

  const history = await env.client.workflow.getHandle(result.purchaseId).fetchHistory();
  // 42: each patch a purchase asks adds its marker and an upsert of TemporalChangeVersion (checks-again-before-ordering
  // the latest two).
  expect(history.events?.length).toBeLessThanOrEqual(42);
  const text = JSON.stringify(history);
  expect(text).not.toContain(env.account.clientSecret);
  expect(text).not.toContain(await env.token());
});

test('without a fleet budget: three workflow tasks, pricing and the create eagerly on the workflow queue, checkout local', async () => {
  const result = await (await env.buy({ items: await env.items(1) })).result();
  expect(result.end).toBe('COMPLETED');
  const events = (await env.client.workflow.getHandle(result.purchaseId).fetchHistory()).events ?? [];
  expect(events.filter((e) => e.workflowTaskCompletedEventAttributes)).toHaveLength(3);
  const scheduled = events
    .map((e) => e.activityTaskScheduledEventAttributes)
    .filter((a) => a !== null && a !== undefined)
    .map((a) => `${a.activityType?.name} on ${a.taskQueue?.name}`);
  expect(scheduled).toEqual([`priceItems on ${env.taskQueue}`, `createOrderOnce on ${env.taskQueue}`]);
  // The timeline still shows the checkout, read from its local activity's marker.
  const timeline = await runDcp(env.settings, ['status', result.purchaseId, '--history']);
  expect(timeline.stdout).toMatch(/activity\s+checkout: order \S+ PAID/);
});

test('buying the same purchase again reports the finished one and buys nothing', async () => {
  const items = await env.items(1);
  const first = await env.buy({ items, purchaseId: `same-${Date.now()}` });
  const result = await first.result();
  const ordersBefore = (await env.admin.orders(1001)).length;

  const again = await startPurchase(
    env.client,
    { taskQueue: env.taskQueue, organisationId: 1001 },
    {
      purchaseId: first.workflowId,
      items,
    },
  );
  expect(again.origin).toBe('finished');
  expect(await again.handle.result()).toEqual(result);
  expect((await env.admin.orders(1001)).length).toBe(ordersBefore);
});

test('a line item with an area of interest sends geometry and project together, priced by its sub-area', async () => {
  const [item] = await env.items(1);
  const geometry = await subAreaOf(env.sim.url, await env.token(), item);
  const [whole] = await findPriced(item);
  await env.admin.clearStats();
  const result = await (await env.buy({ items: [{ ...item, geometry, projectId: 'project-7' }] })).result();
  expect(result.end).toBe('COMPLETED');
  // A quarter of the footprint (half its size each way), priced through the v0 per-item price with the geometry.
  expect(Number(result.total) / (Number(whole.price) / 4)).toBeCloseTo(1, 2);
  expect(apiCalls(await env.admin.stats())).toMatchObject({ price: 1, order_create: 1 });
  const api = await fetch(`${env.sim.url}/api/data/v0/order/orders/${result.orderId}`, {
    headers: { authorization: `Bearer ${await env.token()}` },
  });
  const order = ((await api.json()) as { data: { order_line_items: Array<Record<string, unknown>> } }).data;
  expect(order.order_line_items[0]).toMatchObject({ item: item.item, geometry, project_id: 'project-7' });
});
