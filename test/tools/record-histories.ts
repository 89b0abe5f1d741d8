/**
 * Records purchase workflow histories into test/histories/<version>/ for the replay test
 * (`npm run histories:record`, which records the batch scenarios too).
 */
import {
  adoptOrderUpdate,
  approveUpdate,
  cancelSignal,
  paymentCompletedSignal,
} from '../../src/shared/purchase-messages';
import type { PurchaseHandle } from '../../src/workflow-client/purchase-client';
import { saveHistory } from '../support/histories';
import { onePurchaseEnvPerFile, PurchaseEnv } from '../support/purchase-env';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));

function save(name: string, handle: PurchaseHandle, runId?: string): void {
  saveHistory(env, 'purchase', name, handle.workflowId, runId);
}

test('record', async () => {
  const credits = await env.buy({ items: await env.items(2) });
  await credits.result();
  await save('credits', credits);

  const approval = await env.buy({ items: await env.items(1), budget: { maxTotal: '0.01', approval: 'wait' } });
  await env.waitForStage(approval, 'AWAITING_APPROVAL');
  await approval.executeUpdate(approveUpdate, { args: [{ approved: true }] });
  await approval.result();
  await save('approved', approval);

  const unknown = await env.buy({ items: [{ collection: 'menut-l1c-cogs', item: 'NO_SUCH_ITEM', level: 'L1C' }] });
  await unknown.result();
  await save('failed-unknown-item', unknown);

  await env.admin.setCredits(1001, '0');
  const card = await env.buy({ items: await env.items(1) });
  const waiting = await env.waitForStage(card, 'AWAITING_PAYMENT');
  await env.admin.payOrder(waiting.orderId as string);
  await card.signal(paymentCompletedSignal);
  await card.result();
  await save('card-paid-by-signal', card);

  const cancelled = await env.buy({ items: await env.items(1) });
  await env.waitForStage(cancelled, 'AWAITING_PAYMENT');
  await cancelled.signal(cancelSignal, 'recorded');
  await cancelled.result();
  await save('cancelled-awaiting-payment', cancelled);

  const expired = await env.buy({ items: await env.items(1), paymentWindowMs: 1_000 });
  await expired.result();
  await save('expired', expired);

  const long = await env.buy({
    items: await env.items(1),
    poll: { firstMs: 20, factor: 1, capMs: 20 },
    historyEventLimit: 100,
  });
  const first = await long.describe();
  let status = await env.waitForStage(long, 'AWAITING_PAYMENT');
  while (status.runs < 1) status = await env.status(long);
  await env.payAndSignal(long, status.orderId as string);
  await long.result();
  await save('continued-as-new-first-run', long, first.runId);
  await save('continued-as-new-last-run', long);

  // Notified while it waits, until its window closes: payment_link_ready, payment_deadline_near, purchase_ended
  // (to a port where nothing listens: the deliveries retry on their own, the purchase does not wait for them).
  const notified = await env.buy({
    items: await env.items(1),
    paymentWindowMs: 3_000,
    notify: ['http://127.0.0.1:9/events'],
  });
  expect((await notified.result()).end).toBe('EXPIRED');
  await save('notified-expired', notified);
  await env.admin.setCredits(1001, '100000');

  // No order list to settle a lost create reply: NEEDS_ATTENTION until an operator adopts the order.
  const before = await env.admin.settings();
  await env.admin.setSettings({ apiVariant: 'documented' });
  await env.admin.setFaults({ seed: 4, endpoints: { order_create: { lostReply: 1 } } });
  const [lostItem] = await env.items(1);
  const lost = await env.buy({ items: [lostItem] });
  await env.waitForStage(lost, 'NEEDS_ATTENTION');
  await env.admin.setFaults({});
  const [order] = await env.admin.ordersHolding(env.account.organisation, lostItem.item);
  await lost.executeUpdate(adoptOrderUpdate, { args: [{ orderId: order.id }] });
  expect((await lost.result()).end).toBe('COMPLETED');
  await save('needs-attention-adopted', lost);

  // An order that cannot be read after its checkout (a wrong path) waits in NEEDS_ATTENTION; a worker with the
  // right path reads it.
  await env.stopWorkers();
  await env.startWorker({ datacosmos: { paths: { orderGet: '/api/data/v0/order/nowhere/{order_id}' } } });
  const unread = await env.buy({ items: await env.items(1), paymentWindowMs: 300 });
  await env.waitForStage(unread, 'NEEDS_ATTENTION', (s) => s.orderId !== null);
  await env.stopWorkers();
  await env.startWorker();
  expect((await unread.result()).end).toBe('COMPLETED');
  await save('unreadable-order-read-later', unread);
  await env.admin.setSettings({ apiVariant: before.apiVariant });
}, 180_000);
