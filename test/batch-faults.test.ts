/**
 * A 200-item batch through 5xx, 429s, resets and lost replies: every affordable item is bought exactly
 * once (simulator audit), the budget is never exceeded, the budget order is the search order, and a
 * second batch over the same area buys none of them again.
 */
import { add, compare } from '../src/shared/money';
import type { BatchResult, ItemReport } from '../src/shared/batch-types';
import { runBatch, searchWithPrices } from './support/batch-env';
import { onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';
import { eventMs, spans } from '../harness/history-spans';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));

const SEARCH = { collections: ['mantis-l1d-cogs'] };

function keysWith(items: ItemReport[], outcome: string): string[] {
  return items.filter((row) => row.outcome === outcome).map((row) => `${row.collection}/${row.item}`);
}

test('200 items under faults: affordable items bought once each, budget kept, a second batch buys nothing again', async () => {
  const catalog = await searchWithPrices(env, SEARCH, 200);
  expect(catalog).toHaveLength(200);
  // The budget is exactly the first 120 items' prices: search order fills it, nothing later fits.
  const budget = add(...catalog.slice(0, 120).map((c) => c.price));
  await env.admin.setFaults({
    seed: 21,
    endpoints: {
      stac_search: { error5xx: 0.15, rateLimit429: 0.1, retryAfterS: 1 },
      price_batch: { error5xx: 0.15, rateLimit429: 0.1, retryAfterS: 1 },
      order_list: { error5xx: 0.15, reset: 0.05 },
      order_create: { lostReply: 0.2, reset: 0.1, error5xx: 0.1, rateLimit429: 0.05, retryAfterS: 1 },
      order_checkout: { lostReply: 0.15, error5xx: 0.1 },
      policies: { error5xx: 0.2 },
    },
  });
  let first: BatchResult;
  try {
    const handle = await runBatch(env, {
      search: { ...SEARCH, maxItems: 200 },
      budget,
      itemsPerOrder: 3,
      concurrency: 20,
    });
    first = await handle.result();
  } finally {
    await env.admin.setFaults({});
  }
  expect(first.end).toBe('COMPLETED');
  const items = await env.batchItems(first);
  expect(items).toHaveLength(200);
  const expectedPaid = catalog.slice(0, 120).map((c) => `${c.collection}/${c.item}`);
  expect(keysWith(items, 'PAID').sort()).toEqual(expectedPaid.sort());
  expect(keysWith(items, 'SKIPPED_BUDGET')).toHaveLength(80);
  expect(items.filter((r) => r.outcome === 'SKIPPED_BUDGET').every((r) => r.reason?.includes('does not fit'))).toBe(
    true,
  );
  expect(compare(first.spent, budget)).toBeLessThanOrEqual(0);

  const orders = await env.admin.orders(1001);
  for (const key of expectedPaid) {
    const holding = orders.filter((o) => o.items.some((i) => `${i.collection}/${i.item}` === key));
    expect(holding.map((o) => o.status)).toEqual(['PAID']);
  }
  const charged = add(...orders.filter((o) => o.status === 'PAID').map((o) => o.total as string));
  expect(compare(charged, budget)).toBeLessThanOrEqual(0);
  expect(charged).toBe(first.spent);

  // Same area, same budget: what the first batch bought is ALREADY_OWNED; only the skipped items are new.
  const second = await (
    await runBatch(env, { search: { ...SEARCH, maxItems: 200 }, budget, itemsPerOrder: 3, concurrency: 20 })
  ).result();
  const secondItems = await env.batchItems(second);
  expect(keysWith(secondItems, 'ALREADY_OWNED').sort()).toEqual(expectedPaid.sort());
  expect(keysWith(secondItems, 'PAID').filter((key) => expectedPaid.includes(key))).toEqual([]);
  const after = await env.admin.orders(1001);
  const boughtCount = new Map<string, number>();
  for (const order of after) {
    for (const i of order.items)
      boughtCount.set(`${i.collection}/${i.item}`, (boughtCount.get(`${i.collection}/${i.item}`) ?? 0) + 1);
  }
  expect([...boughtCount.values()].every((n) => n === 1)).toBe(true);
}, 180_000);

test('a slow catalog search: the next chunk is planned while purchases run, and they go on starting meanwhile', async () => {
  const search = { collections: ['hammer-l1c-cogs'], maxItems: 60 };
  const catalog = await searchWithPrices(env, { collections: search.collections }, 60);
  await env.admin.setCredits(env.account.organisation, '1000000000'); // paid at once: no payment wait
  // Each search page (a planning step's) takes 2 s; the purchases' own requests are not slowed.
  await env.admin.setFaults({ seed: 3, endpoints: { stac_search: { latencyMs: 2_000 } } });
  let result: BatchResult;
  let batchId: string;
  try {
    const handle = await runBatch(env, {
      search,
      budget: add(...catalog.map((c) => c.price)),
      chunkSize: 20,
      itemsPerOrder: 5,
      concurrency: 2,
    });
    batchId = handle.workflowId;
    result = await handle.result();
  } finally {
    await env.admin.setFaults({});
  }
  expect(result.counts.PAID).toBe(60);
  const events = (await env.client.workflow.getHandle(batchId).fetchHistory()).events ?? [];
  const planning = spans(events, (e) => e.activityTaskCompletedEventAttributes?.scheduledEventId)
    .filter((span) => span.scheduled.activityTaskScheduledEventAttributes?.activityType?.name === 'planChunk')
    .map((span) => [span.fromMs, span.toMs]);
  expect(planning).toHaveLength(3);
  const starts = events.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes).map(eventMs);
  expect(starts).toHaveLength(12);
  // Planning one chunk after another, with no purchase started while a chunk was being planned, took 6 s of
  // idle slots; now purchases of the planned chunks start while the next chunk is read.
  const startedWhilePlanning = starts.filter((t) => planning.some(([from, to]) => t > from && t < to));
  expect(startedWhilePlanning.length).toBeGreaterThan(0);
}, 120_000);
