/**
 * The spend ledger's own checks, on a ledger started here with its timings (the one purchases use starts with the
 * worker's): an order kept UNPAID is read at its payment deadline before its reservation goes, so a payment since the
 * last check is spend; and a ledger whose history fills faster than its check interval still checks, its clock
 * carried through continue-as-new.
 */
import { randomUUID } from 'node:crypto';
import { claimsTaskQueue } from '../src/shared/task-queues';
import { WORKFLOW_TYPE } from '../src/shared/workflow-types';
import { ledgerQuery, reserveSpendUpdate, setLimitUpdate, settleSignal } from '../src/shared/spend-limit-messages';
import type { LedgerInput } from '../src/shared/spend-limit-types';
import { limitReports } from '../src/shared/spend-limits';
import { organisationLimit } from '../harness/spend-limit';
import { until } from '../harness/until';
import { PurchaseEnv } from './support/purchase-env';

let env: PurchaseEnv;

beforeAll(async () => {
  env = await PurchaseEnv.start();
}, 60_000);

afterAll(() => env?.close());

async function startLedger(input: Partial<LedgerInput>) {
  const ledger = await env.client.workflow.start(WORKFLOW_TYPE.spendLedger, {
    workflowId: `ledger-test-${randomUUID()}`,
    taskQueue: claimsTaskQueue(env.taskQueue),
    args: [{ taskQueue: env.taskQueue, organisationId: env.account.organisation, ...input } satisfies LedgerInput],
  });
  await ledger.executeUpdate(setLimitUpdate, { args: [organisationLimit('all', 'total', '1000000')] });
  return ledger;
}

const request = (holder: string, amount: string) => ({
  holder,
  amount,
  currency: 'EUR',
  contractId: env.account.contract,
  scheduleId: null,
});

test('an unpaid order paid after the last check and before its deadline is read at the deadline: spend', async () => {
  await env.admin.setCredits(env.account.organisation, '0');
  const purchase = await env.buy({ items: await env.items(1) });
  const { orderId } = await env.waitForStage(purchase, 'AWAITING_PAYMENT');
  // Checks every ten minutes: none comes between the payment and the deadline.
  const ledger = await startLedger({ checkEveryMs: 600_000 });
  await ledger.executeUpdate(reserveSpendUpdate, { args: [request('h1', '80')] });
  await ledger.signal(settleSignal, {
    holder: 'h1',
    outcome: 'UNPAID',
    orderId: orderId as string,
    until: Date.now() + 4_000,
  });
  await env.admin.payOrder(orderId as string);
  const state = await until(
    'the reservation gone at its deadline',
    () => ledger.query(ledgerQuery),
    (s) => s.reservations.length === 0,
    30_000,
  );
  expect(limitReports(state, Date.now())[0]).toMatchObject({ spent: '80', reserved: '0' });
  await env.payAndSignal(purchase, orderId as string);
  await ledger.terminate();
}, 60_000);

test('a ledger continuing as new faster than its check interval still checks: an ended holder is settled', async () => {
  const ledger = await startLedger({ checkEveryMs: 2_000, historyEventLimit: 20 });
  // No workflow of this id: an ended holder, released at the first check.
  await ledger.executeUpdate(reserveSpendUpdate, { args: [request(`gone-${randomUUID()}`, '5')] });
  let signals = 0;
  await until(
    'the ended holder released',
    async () => {
      // A settlement of nobody's: a change that counts for nothing but fills the history (a run lasts about 1 s).
      await ledger.signal(settleSignal, { holder: `nobody-${signals++}`, outcome: 'RELEASED' });
      return ledger.query(ledgerQuery);
    },
    (s) => s.reservations.length === 0,
    30_000,
  );
  const runs = [];
  for await (const run of env.client.workflow.list({ query: `WorkflowId = '${ledger.workflowId}'` })) runs.push(run);
  expect(runs.length).toBeGreaterThan(2);
  await ledger.terminate();
}, 60_000);
