/**
 * Records purchase workflow histories into test/histories/<version>/ for the replay test
 * (`npm run histories:record`, which records the batch scenarios too).
 */
import { approveUpdate, cancelSignal, paymentCompletedSignal } from '../../src/shared/purchase-messages';
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
  await env.admin.payOrder(status.orderId as string);
  await long.signal(paymentCompletedSignal);
  await long.result();
  await save('continued-as-new-first-run', long, first.runId);
  await save('continued-as-new-last-run', long);
}, 120_000);
