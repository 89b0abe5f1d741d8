/** Purchases the credits do not cover: a payment link, waiting while UNPAID, and every way that wait ends. */
import { extendDeadlineUpdate, paymentCompletedSignal } from '../src/shared/purchase-messages';
import { onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';

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
  const handle = await env.buy({ items: await env.items(1), paymentWindowMs: 2_000 });
  const waiting = await env.waitForStage(handle, 'AWAITING_PAYMENT');
  const moved = await handle.executeUpdate(extendDeadlineUpdate, { args: [{ byMs: 60_000 }] });
  expect(Date.parse(moved) - Date.parse(waiting.paymentDeadline as string)).toBe(60_000);
  await expect(handle.executeUpdate(extendDeadlineUpdate, { args: [{ byMs: -5 }] })).rejects.toMatchObject({
    cause: { message: 'extendDeadline: byMs must be a positive number of milliseconds' },
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
  let status = await env.waitForStage(handle, 'AWAITING_PAYMENT');
  // A poll adds 6 events (its timer, its task, its local activity's marker); the server fires timers about once a
  // second, so each run lasts some 15 s.
  for (let i = 0; i < 900 && status.runs < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    status = await env.status(handle);
  }
  expect(status.runs).toBeGreaterThanOrEqual(2);
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
