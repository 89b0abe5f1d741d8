/**
 * One owner per item, whoever asks: before any order for an item is created its purchase holds the item's claim
 * in the organisation's claim registry. Owned means PAID; an unpaid order keeps the item in flight; a cancelled
 * one, an ended holder without an order, or an operator frees it.
 */
import { byShard, registryId } from '../src/shared/claim-types';
import { itemKey } from '../src/shared/item-key';
import { approveUpdate, extendDeadlineUpdate } from '../src/shared/purchase-messages';
import { claimsTaskQueue } from '../src/shared/task-queues';
import { lookUpClaims, releaseClaims } from '../src/activities/claims';
import { fetchPurchaseInput } from '../src/workflow-client/purchase-timeline';
import { until } from '../harness/until';
import { runDcp } from './support/dcp';
import { onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));

/** The SDK's default maxConcurrentWorkflowTaskExecutions, which the worker keeps. */
const WORKFLOW_TASK_SLOTS = 40;

const scope = () => ({ taskQueue: env.taskQueue, organisationId: 1001 });

const ordersWith = (item: string) => env.admin.ordersHolding(1001, item);

test('two purchases of the same item at the same instant: one order; the other ends IN_FLIGHT or ALREADY_OWNED', async () => {
  const items = await env.items(1);
  const [a, b] = await Promise.all([env.buy({ items }), env.buy({ items })]);
  const results = await Promise.all([a.result(), b.result()]);
  const ends = results.map((r) => r.end).sort();
  expect(ends[0]).toBe('COMPLETED');
  expect(['ALREADY_OWNED', 'IN_FLIGHT']).toContain(ends[1]);
  const winner = results.find((r) => r.end === 'COMPLETED')!;
  const loser = results.find((r) => r.end !== 'COMPLETED')!;
  expect(loser).toMatchObject({ orderId: null, dropped: [{ item: items[0].item, purchaseId: winner.purchaseId }] });
  expect((await ordersWith(items[0].item)).map((o) => o.id)).toEqual([winner.orderId]);
});

test('an owned item is never bought again: ALREADY_OWNED with its order (dcp buy exits 0), and dropped from a larger purchase', async () => {
  const [owned, other] = await env.items(2);
  const first = await (await env.buy({ items: [owned] })).result();
  expect(first.end).toBe('COMPLETED');

  const again = await runDcp(env.settings, [
    'buy',
    '--item',
    `${owned.collection}/${owned.item}@${owned.level}`,
    '--purchase-id',
    `again-${Date.now()}`,
  ]);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/: ALREADY_OWNED/);
  expect(again.stdout).toContain(`PAID order ${first.orderId}`);

  const mixed = await (await env.buy({ items: [owned, other] })).result();
  expect(mixed).toMatchObject({
    end: 'COMPLETED',
    dropped: [{ item: owned.item, outcome: 'ALREADY_OWNED', orderId: first.orderId }],
    lineItems: [expect.objectContaining({ item: other.item })],
  });
  expect(await ordersWith(owned.item)).toHaveLength(1);
});

test('--when-claimed wait: a purchase waits for the holder, then drops what it bought', async () => {
  const items = await env.items(1);
  const holder = await env.buy({ items, budget: { maxTotal: '0.01', approval: 'wait' } });
  await env.waitForStage(holder, 'AWAITING_APPROVAL');
  const waiting = await env.buy({ items, whenClaimed: 'wait' });
  await env.waitForStage(waiting, 'CLAIMING', (s) => (s.lastError ?? '').includes('held by other purchases'));
  await holder.executeUpdate(approveUpdate, { args: [{ approved: true }] });
  expect((await holder.result()).end).toBe('COMPLETED');
  expect(await waiting.result()).toMatchObject({ end: 'ALREADY_OWNED', dropped: [{ outcome: 'ALREADY_OWNED' }] });
  expect(await ordersWith(items[0].item)).toHaveLength(1);
});

test('--when-claimed wait: a long wait is listed CLAIMING and starts over in new runs, each small', async () => {
  const items = await env.items(1);
  const holder = await env.buy({ items, budget: { maxTotal: '0.01', approval: 'wait' } });
  await env.waitForStage(holder, 'AWAITING_APPROVAL');
  const waiting = await env.buy({
    items,
    whenClaimed: 'wait',
    poll: { firstMs: 20, factor: 1, capMs: 20 }, // a look every 20 ms: about six events each
    historyEventLimit: 100,
  });
  const first = await env.waitForStage(waiting, 'CLAIMING');
  // An extension made while it waits (before any checkout) lengthens the window the new runs carry.
  await waiting.executeUpdate(extendDeadlineUpdate, { args: [{ byMs: 3_600_000 }] });
  // Each run starts over (VALIDATING, then CLAIMING at once): the run is read once it waits again.
  const later = await env.waitForStage(waiting, 'CLAIMING', (s) => s.runs >= 2);
  expect(later.startedAt).toBe(first.startedAt);
  const query = `WorkflowId = '${waiting.workflowId}' AND PurchaseStage = 'CLAIMING' AND ExecutionStatus = 'Running'`;
  await until(
    'listed CLAIMING',
    () => env.client.workflow.count(query),
    (c) => c.count === 1,
  );
  await holder.executeUpdate(approveUpdate, { args: [{ approved: true }] });
  expect((await holder.result()).end).toBe('COMPLETED');
  expect(await waiting.result()).toMatchObject({ end: 'ALREADY_OWNED' });
  for await (const run of env.client.workflow.list({ query: `WorkflowId = '${waiting.workflowId}'` })) {
    expect(run.historyLength).toBeLessThan(100 + 20);
  }
  // A new purchase made from its input (a redrive) starts its own clock and run count.
  const input = await fetchPurchaseInput(env.client, waiting.workflowId);
  expect(input).toMatchObject({ purchaseId: waiting.workflowId, whenClaimed: 'wait', paymentWindowMs: 73 * 3_600_000 });
  expect(input.restarted).toBeUndefined();
});

test('an unpaid order keeps its item in flight after its purchase expired; a cancelled one frees it', async () => {
  await env.admin.setCredits(1001, '0');
  try {
    const items = await env.items(1);
    const expired = await (await env.buy({ items, paymentWindowMs: 500 })).result();
    expect(expired).toMatchObject({ end: 'EXPIRED', orderStatus: 'UNPAID' });
    const blocked = await (await env.buy({ items })).result();
    expect(blocked).toMatchObject({
      end: 'IN_FLIGHT',
      dropped: [{ purchaseId: expired.purchaseId, orderId: expired.orderId }],
    });

    const key = `${items[0].collection}/${items[0].item}`;
    const claimOf = async () => (await lookUpClaims(env.client, scope(), [key]))[0];
    expect(await claimOf()).toMatchObject({ state: 'WATCHING', holder: expired.purchaseId, orderId: expired.orderId });

    // The checkout session lapses: DataCosmos cancels the order, and the registry's next look frees the item.
    await env.admin.cancelOrder(expired.orderId as string);
    await env.admin.setCredits(1001, '100000');
    await until(
      'the claim to be released',
      () => lookUpClaims(env.client, scope(), [key]),
      (claims) => claims.length === 0,
    );
    expect(await (await env.buy({ items })).result()).toMatchObject({ end: 'COMPLETED' });
    expect(await claimOf()).toMatchObject({ state: 'OWNED' });
    expect((await ordersWith(items[0].item)).map((o) => o.status).sort()).toEqual(['CANCELLED', 'PAID']);
  } finally {
    await env.admin.setCredits(1001, '100000');
  }
});

test('a terminated holder never keeps its items; dcp claims shows claims and releases only what is safe', async () => {
  const [item] = await env.items(1);
  const key = `${item.collection}/${item.item}`;
  const holder = await env.buy({ items: [item], budget: { maxTotal: '0.01', approval: 'wait' } });
  await env.waitForStage(holder, 'AWAITING_APPROVAL');

  const listed = await runDcp(env.settings, ['claims', '--item', key, '--json']);
  expect(JSON.parse(listed.stdout)).toMatchObject([
    { item: key, state: 'HELD', holder: holder.workflowId, holderRunning: true },
  ]);
  const refused = await runDcp(env.settings, ['claims', 'release', key]);
  expect(refused).toMatchObject({
    code: 2,
    stderr: `dcp: ${key} is held by running purchase ${holder.workflowId}: cancel it first\n`,
  });
  // A release decided for another holder (the claim changed hands after it was read) leaves the claim alone.
  expect(await releaseClaims(env.client, scope(), [{ item: key, holder: 'an-ended-purchase' }], 'stale')).toEqual([]);
  expect(await lookUpClaims(env.client, scope(), [key])).toMatchObject([{ holder: holder.workflowId, state: 'HELD' }]);

  // Terminated before it ordered: the registry finds it ended with no order and frees the item.
  await holder.terminate('operator');
  const terminated = await runDcp(env.settings, ['status', holder.workflowId, '--json']);
  expect(terminated.code).toBe(0);
  expect(JSON.parse(terminated.stdout)).toMatchObject({
    purchaseId: holder.workflowId,
    endedInTemporal: 'TERMINATED',
    stage: 'AWAITING_APPROVAL',
    orderId: null,
  });
  await until(
    'the claim to be released',
    () => lookUpClaims(env.client, scope(), [key]),
    (claims) => claims.length === 0,
  );
  const bought = await (await env.buy({ items: [item] })).result();
  expect(bought.end).toBe('COMPLETED');
  const owned = await runDcp(env.settings, ['claims', 'release', key]);
  expect(owned).toMatchObject({
    code: 2,
    stderr: `dcp: ${key} is owned (PAID order ${bought.orderId}): owned items stay claimed\n`,
  });
});

test('an operator releases the claim of an unpaid order; dcp redrive takes the claim of the purchase it re-drives', async () => {
  await env.admin.setCredits(1001, '0');
  try {
    const [released, redriven] = await env.items(2);
    const key = `${released.collection}/${released.item}`;
    const expired = await (await env.buy({ items: [released], paymentWindowMs: 500 })).result();
    expect(expired.end).toBe('EXPIRED');
    const run = await runDcp(env.settings, ['claims', 'release', key, '--reason', 'order abandoned']);
    expect(run).toMatchObject({
      code: 0,
      stdout: `released ${key} (WATCHING by ${expired.purchaseId}, order ${expired.orderId})\n`,
    });
    expect(await lookUpClaims(env.client, scope(), [key])).toEqual([]);

    const old = await (await env.buy({ items: [redriven], paymentWindowMs: 500 })).result();
    expect(old.end).toBe('EXPIRED');
    await env.admin.setCredits(1001, '100000');
    const again = await runDcp(env.settings, ['redrive', old.purchaseId, '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ end: 'COMPLETED', redriveOf: old.purchaseId });
  } finally {
    await env.admin.setCredits(1001, '100000');
  }
});

test('more purchases claim at once than a worker has workflow task slots: the registries still answer', async () => {
  // A purchase's workflow task waits on its claim; the registries run on a queue of their own, so purchases that
  // fill every workflow task slot of the purchase queue cannot keep the registries from answering them.
  const items = await env.items(WORKFLOW_TASK_SLOTS + 20);
  const handles = await Promise.all(items.map((line) => env.buy({ items: [line] })));
  const results = await Promise.all(handles.map((handle) => handle.result()));
  expect(results.filter((r) => r.end !== 'COMPLETED')).toEqual([]);
  const [shard] = [...byShard([itemKey(items[0])])][0];
  const registry = await env.client.workflow.getHandle(registryId(scope(), shard)).describe();
  expect(registry.taskQueue).toBe(claimsTaskQueue(env.taskQueue));
}, 120_000);
