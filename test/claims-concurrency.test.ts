/**
 * Never the same image twice, whoever asks: four batches with overlapping items and `dcp buy` of some of the same
 * items, all started at the same instant, through lost replies and 5xx on order create and a worker killed with
 * SIGKILL in the middle. Every item is ordered exactly once (simulator audit); every other request for it ends
 * ALREADY_OWNED or IN_FLIGHT; the credits charged are exactly the paid orders' totals.
 */
import { add, subtract } from '../src/shared/money';
import { runBatch } from './support/batch-env';
import { runDcp } from './support/dcp';
import { withWorkerProcess, type PurchaseEnv } from './support/purchase-env';

let env: PurchaseEnv;
withWorkerProcess((started) => (env = started));

test('four overlapping batches and dcp buy at the same instant, with faults and a worker crash: one order per item', async () => {
  const catalog = await env.items(40);
  const startCredits = await env.admin.credits(1001);
  const slice = (from: number, to: number, step = 1) =>
    catalog
      .slice(from, to)
      .filter((_, i) => i % step === 0)
      .map(({ collection, item }) => ({ collection, item }));
  const batchInputs = [slice(0, 20), slice(10, 30), slice(20, 40), slice(0, 40, 2)];
  const bought = [catalog[5], catalog[15], catalog[25], catalog[35]];
  await env.admin.setFaults({ seed: 31, endpoints: { order_create: { lostReply: 0.2, error5xx: 0.1 } } });

  const batches = await Promise.all(
    batchInputs.map((items) => runBatch(env, { items, budget: '1000000', concurrency: 5 })),
  );
  const buys = bought.map((line) =>
    runDcp(env.settings, ['buy', '--item', `${line.collection}/${line.item}@${line.level}`, '--json'], 200_000),
  );

  // Mid-run: the worker dies without a chance to finish anything, and a new one takes over.
  await env.killWorkersAfterOrders(4);

  const results = await Promise.all(batches.map((b) => b.result()));
  const runs = await Promise.all(buys);
  await env.admin.setFaults({});

  // Exactly one order per item, and every item was bought.
  const orders = (await env.admin.orders(1001)).filter((o) =>
    o.items.some((i) => catalog.some((c) => c.item === i.item)),
  );
  const orderOf = new Map<string, string>();
  for (const order of orders) {
    for (const line of order.items) {
      expect(orderOf.has(line.item)).toBe(false);
      orderOf.set(line.item, order.id);
    }
  }
  expect(orderOf.size).toBe(catalog.length);

  // Every request for an item either bought it (its one order) or says who did.
  const paidBy = new Map<string, number>();
  for (const result of results) {
    for (const row of await env.batchItems(result)) {
      expect(['PAID', 'ALREADY_OWNED', 'IN_FLIGHT']).toContain(row.outcome);
      if (row.outcome === 'PAID') paidBy.set(row.item, (paidBy.get(row.item) ?? 0) + 1);
      if (row.outcome === 'ALREADY_OWNED') expect(row.orderId).toBe(orderOf.get(row.item));
    }
  }
  for (const run of runs) {
    const result = JSON.parse(run.stdout);
    if (result.end === 'COMPLETED') {
      expect(run.code).toBe(0);
      paidBy.set(result.lineItems[0].item, (paidBy.get(result.lineItems[0].item) ?? 0) + 1);
    } else {
      expect(result.end).toMatch(/^(ALREADY_OWNED|IN_FLIGHT)$/);
      expect(run.code).toBe(result.end === 'ALREADY_OWNED' ? 0 : 9);
    }
  }
  expect([...paidBy.values()].every((count) => count === 1)).toBe(true);
  expect(paidBy.size).toBe(catalog.length);

  // Credits: exactly the paid orders' totals were charged.
  const charged = add(...orders.filter((o) => o.status === 'PAID').map((o) => o.total as string));
  expect(orders.every((o) => o.status === 'PAID')).toBe(true);
  expect(await env.admin.credits(1001)).toBe(subtract(startCredits, charged));
}, 400_000);
