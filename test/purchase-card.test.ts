/** Purchases the credits do not cover: a payment link, waiting while UNPAID, and every way that wait ends. */
import { randomUUID } from 'node:crypto';
import { extendDeadlineUpdate, paymentCompletedSignal } from '../src/shared/purchase-messages';
import type { PurchaseInput } from '../src/shared/purchase-types';
import { WORKFLOW_TYPE } from '../src/shared/workflow-types';
import { expectReplays, replayWithTodaysBundle } from './support/histories';
import { FAST, onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';

let env: PurchaseEnv;
onePurchaseEnvPerFile(async (started) => {
  env = started;
  await env.admin.setCredits(1001, '0');
});

async function payOnCheckoutPage(checkoutUrl: string): Promise<void> {
  const page = await fetch(checkoutUrl);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('/pay');
  const paid = await fetch(`${checkoutUrl}/pay`, { method: 'POST' });
  expect(paid.status).toBeLessThan(400);
}

test('paid on the checkout page: polling sees PAID and the purchase completes', async () => {
  const handle = await env.buy({ items: await env.items(1) });
  const waiting = await env.waitForStage(handle, 'AWAITING_PAYMENT');
  expect(waiting).toMatchObject({ orderStatus: 'UNPAID', paymentMethod: 'CARD' });
  expect(waiting.checkoutUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/checkout\//);
  expect(waiting.paymentDeadline).not.toBeNull();

  await payOnCheckoutPage(waiting.checkoutUrl as string);
  const result = await handle.result();
  expect(result).toMatchObject({
    end: 'COMPLETED',
    orderStatus: 'PAID',
    paymentMethod: 'CARD',
    checkoutUrl: waiting.checkoutUrl,
  });
  expect(result.polls).toBeGreaterThanOrEqual(1);
});

test('paid with a paymentCompleted signal: re-checked at once, long before the next poll', async () => {
  const handle = await env.buy({
    items: await env.items(1),
    poll: { firstMs: 3_600_000, factor: 1, capMs: 3_600_000 },
  });
  const waiting = await env.waitForStage(handle, 'AWAITING_PAYMENT', (s) => s.polls === 1); // now asleep for an hour
  await env.admin.payOrder(waiting.orderId as string);
  await handle.signal(paymentCompletedSignal, waiting.orderId as string);
  const result = await handle.result();
  expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID' });
  expect(result.polls).toBe(2);
});

test('a payment notice before DataCosmos shows the payment: the polls start again from their first interval', async () => {
  const firstMs = 30_000;
  const handle = await env.buy({ items: await env.items(1), poll: { firstMs, factor: 10, capMs: 3_600_000 } });
  const waiting = await env.waitForStage(handle, 'AWAITING_PAYMENT', (s) => s.polls >= 1); // then 30 s, then 300 s
  const orderId = waiting.orderId as string;
  await handle.signal(paymentCompletedSignal, orderId); // nothing is paid yet: the look finds it UNPAID
  const looked = await env.waitForStage(handle, 'AWAITING_PAYMENT', (s) => s.polls > waiting.polls);
  const sleepMs = Date.parse(looked.nextCheckAt as string) - Date.parse(looked.updatedAt);
  expect(sleepMs).toBeLessThan(3 * firstMs); // 30 s, not the 300 s the schedule had grown to
  await env.payAndSignal(handle, orderId);
  expect(await handle.result()).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID' });
  await expectReplays(handle);
});

test('a poll the API refuses for good (a wrong secret deployed) rests in NEEDS_ATTENTION, never FAILED', async () => {
  const handle = await env.buy({ items: await env.items(1) });
  const waiting = await env.waitForStage(handle, 'AWAITING_PAYMENT');
  const orderId = waiting.orderId as string;
  await env.stopWorkers();
  await env.startWorker({ datacosmos: { clientSecret: 'not-the-secret-of-this-client' } });
  try {
    const resting = await env.waitForStage(handle, 'NEEDS_ATTENTION');
    expect(resting.attention?.reason).toContain(`order ${orderId} cannot be read (the API refuses: `);
    expect(resting.attention?.resolve).toMatch(/^fix what the API refused/);
  } finally {
    await env.stopWorkers();
    await env.startWorker(); // the right secret again: the next poll reads the order
  }
  await env.waitForStage(handle, 'AWAITING_PAYMENT');
  await env.payAndSignal(handle, orderId);
  expect(await handle.result()).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID' });
  await expectReplays(handle);
});

test('an expired checkout session cancels the order and the purchase ends CANCELLED', async () => {
  await env.admin.setSettings({ checkoutTtlS: 1 });
  try {
    const handle = await env.buy({ items: await env.items(1) });
    const result = await handle.result();
    expect(result.end).toBe('CANCELLED');
    expect(result.reason).toBe(`order ${result.orderId} was cancelled by DataCosmos`);
    expect(result.orderStatus).toBe('CANCELLED');
  } finally {
    await env.admin.setSettings({ checkoutTtlS: 86_400 });
  }
});

test('the payment deadline ends EXPIRED with the order id and the payment link', async () => {
  const handle = await env.buy({ items: await env.items(1), paymentWindowMs: 1_500 });
  const result = await handle.result();
  expect(result.end).toBe('EXPIRED');
  expect(result.orderStatus).toBe('UNPAID');
  expect(result.reason).toContain(`order ${result.orderId} was still UNPAID at the payment deadline`);
  expect(result.reason).toContain(`payment link: ${result.checkoutUrl}`);
});

test('extendDeadline moves the deadline; validation refuses a non-positive extension', async () => {
  // Room for the status query and the update on a loaded machine: the purchase must not expire before they land.
  const handle = await env.buy({ items: await env.items(1), paymentWindowMs: 5_000 });
  const waiting = await env.waitForStage(handle, 'AWAITING_PAYMENT');
  const moved = await handle.executeUpdate(extendDeadlineUpdate, { args: [{ byMs: 60_000 }] });
  expect(Date.parse(moved) - Date.parse(waiting.paymentDeadline as string)).toBe(60_000);
  await expect(handle.executeUpdate(extendDeadlineUpdate, { args: [{ byMs: -5 }] })).rejects.toMatchObject({
    cause: { message: 'extendDeadline: byMs must be a positive number of milliseconds, at most ten years' },
  });

  // Polled past the original deadline, still waiting.
  const original = Date.parse(waiting.paymentDeadline as string);
  const later = await env.waitForStage(handle, 'AWAITING_PAYMENT', (s) => Date.parse(s.updatedAt) > original + 200);
  expect(later.paymentDeadline).toBe(moved);
  await env.admin.payOrder(waiting.orderId as string);
  await handle.signal(paymentCompletedSignal);
  expect((await handle.result()).end).toBe('COMPLETED');
});

test('a long wait continues as new: same id, queries and signals, every run small', async () => {
  const handle = await env.buy({
    items: await env.items(1),
    poll: { firstMs: 20, factor: 1, capMs: 20 },
    historyEventLimit: 100,
  });
  await env.waitForStage(handle, 'AWAITING_PAYMENT');
  // A poll adds 6 events (its timer, its task, its local activity's marker); the server fires timers about once a
  // second, so each run lasts some 15 s.
  const status = await env.waitForStage(handle, 'AWAITING_PAYMENT', (s) => s.runs >= 2, 90_000);
  await env.payAndSignal(handle, status.orderId as string);
  const result = await handle.result();
  expect(result).toMatchObject({ end: 'COMPLETED', orderId: status.orderId });
  expect(result.polls).toBeGreaterThan(status.polls - 1);

  const runs: string[] = [];
  for await (const wf of env.client.workflow.list({ query: `WorkflowId = "${handle.workflowId}"` }))
    runs.push(wf.runId);
  expect(runs.length).toBeGreaterThanOrEqual(3);
  for (const runId of runs) {
    const history = await env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    // The limit is checked once per poll, and a poll adds a few events.
    expect(history.events?.length).toBeLessThan(100 + 20);
  }
}, 150_000);

/** The events the split test looks for, by the attributes each carries. */
const EVENT_KINDS = [
  ['markerRecordedEventAttributes', 'marker'],
  ['timerFiredEventAttributes', 'timer fired'],
  ['workflowExecutionContinuedAsNewEventAttributes', 'continued as new'],
  ['workflowTaskCompletedEventAttributes', 'task completed'],
  ['workflowTaskScheduledEventAttributes', 'task scheduled'],
] as const;

test('polls that each end in a workflow task of their own: it continues as new when a timer fires, and every run replays', async () => {
  // A poll is a local activity; one that runs past 80 % of the workflow task timeout ends in a task of its own (the
  // worker asks for a new one while it runs), and a replay reads a shorter history after it than the run did. So
  // the history's length is read when a poll's timer fires, where run and replay see the same history.
  await env.admin.setFaults({ endpoints: { order_get: { latencyMs: 1_200 } } });
  const purchaseId = `p-${randomUUID()}`;
  const input: PurchaseInput = {
    purchaseId,
    ...FAST,
    items: await env.items(1),
    poll: { firstMs: 20, factor: 1, capMs: 20 },
    historyEventLimit: 100,
  };
  const handle = await env.client.workflow.start(WORKFLOW_TYPE.purchase, {
    workflowId: purchaseId,
    taskQueue: env.taskQueue,
    workflowTaskTimeout: '1s',
    args: [input],
  });
  try {
    const status = await env.waitForStage(handle, 'AWAITING_PAYMENT', (s) => s.runs >= 1, 120_000);
    await env.payAndSignal(handle, status.orderId as string);
    expect((await handle.result()).end).toBe('COMPLETED');
  } finally {
    await env.admin.setFaults({});
  }

  const runIds: string[] = [];
  for await (const wf of env.client.workflow.list({ query: `WorkflowId = "${purchaseId}"` })) runIds.push(wf.runId);
  let split = false;
  for (const runId of runIds) {
    const history = await env.client.workflow.getHandle(purchaseId, runId).fetchHistory();
    const kinds = (history.events ?? []).map((e) => EVENT_KINDS.find(([attributes]) => e[attributes])?.[1] ?? 'other');
    // A task that ended while its local activity ran, the next one asked for at once: the split.
    split ||= kinds.some((kind, i) => kind === 'task completed' && kinds[i + 1] === 'task scheduled');
    const continued = kinds.indexOf('continued as new');
    if (continued >= 0) {
      const lastPoll = kinds.slice(0, continued).lastIndexOf('marker');
      expect(kinds.slice(lastPoll, continued)).toContain('timer fired');
    }
    await replayWithTodaysBundle(history, runId);
  }
  expect(split).toBe(true);
  expect(runIds.length).toBeGreaterThanOrEqual(2);
}, 240_000);
