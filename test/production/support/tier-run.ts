/**
 * One run of the production tier: purchases of every kind and two overlapping batches on Temporal with
 * PostgreSQL, while a worker is killed with SIGKILL, the Temporal server is killed and PostgreSQL is restarted in
 * immediate mode. It returns what happened; the test file checks the promises against it.
 *
 * Phase 1 (credits cover everything): credits purchases, purchases over budget that are approved, and two
 * batches started at the same instant with items in common; the faults strike while it runs. Phase 2 (no
 * credits, so every order waits for a card payment): purchases paid on the checkout page (the simulator then
 * posts a signed event to the webhook listener, which finds the purchase by its order id), cancelled ones and
 * expired ones.
 */
import type { Client } from '@temporalio/client';
import { ItemSupply } from '../../../harness/catalog';
import { pool } from '../../../harness/stats';
import type { TemporalOnPostgres } from '../../../local/production-stack/temporal-on-postgres';
import type { OrderAudit } from '../../../simulator/order-model';
import { add, subtract } from '../../../src/shared/money';
import type { BatchResult, ItemReport } from '../../../src/shared/batch-types';
import { approveUpdate, cancelSignal, statusQuery } from '../../../src/shared/purchase-messages';
import type { LineItem, PurchaseInput, PurchaseResult, PurchaseStage } from '../../../src/shared/purchase-types';
import { readBatchItems, startBatch } from '../../../src/workflow-client/batch-client';
import { startPurchase, type PurchaseHandle } from '../../../src/workflow-client/purchase-client';
import { ACME } from '../../../harness/simulator';
import { patiently } from '../../../harness/until';
import type { TierApp } from './tier-app';

export const PURCHASE_KINDS = ['credits', 'approval', 'card', 'cancel', 'expiry'] as const;
export type PurchaseKind = (typeof PURCHASE_KINDS)[number];

export interface TierPlan {
  perKind: number;
  batchSize: number;
  batchOverlap: number;
}

export interface Fault {
  what: string;
  /** Paid orders when it struck, and seconds into the run. */
  atPaidOrders: number;
  atSeconds: number;
}

export interface TierReport {
  purchases: Array<{ kind: PurchaseKind; items: LineItem[]; result: PurchaseResult }>;
  batches: BatchResult[];
  /** Each batch's report rows, read back from its stored pages. */
  batchRows: ItemReport[][];
  /** Items of each batch, in input order. */
  batchItems: LineItem[][];
  /** Every order of the organisation, at the end (simulator audit). */
  orders: OrderAudit[];
  credits: { expected: string; actual: string };
  faults: Fault[];
  seconds: number;
}

const START_CREDITS = '1000000000';
const HOUR = 3_600_000;
const TIMINGS: Pick<PurchaseInput, 'activityTimeoutMs'> = { activityTimeoutMs: 10_000 };
/** Purchases that wait for a payment poll once an hour: only a webhook signal can end the wait in time. */
const HOUR_POLLS = { firstMs: HOUR, factor: 1, capMs: HOUR };
const EXPIRY = { paymentWindowMs: 20_000, poll: { firstMs: 2_000, factor: 2, capMs: 8_000 } };

export async function runTier(
  stack: TemporalOnPostgres,
  app: TierApp,
  plan: TierPlan,
  log: (line: string) => void,
  stopped: AbortSignal,
): Promise<TierReport> {
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 1000);
  const singles = PURCHASE_KINDS.length * plan.perKind;
  const supply = await ItemSupply.load(app.simulator.url, singles + 2 * plan.batchSize - plan.batchOverlap);
  const runner = new PurchaseRunner(app.client, app.taskQueue, `tier-${Date.now().toString(36)}`);
  await app.admin.setCredits(ACME.organisation, START_CREDITS);

  log('phase 1: credits and approved purchases, two overlapping batches; a worker, the server and PostgreSQL fail');
  const shared = supply.take(plan.batchOverlap);
  const batchItems = [0, 1].map(() => [...shared, ...supply.take(plan.batchSize - plan.batchOverlap)]);
  const batches = await Promise.all(
    batchItems.map((items, n) =>
      startBatch(
        app.client,
        { taskQueue: app.taskQueue, organisationId: ACME.organisation },
        { batchId: `${runner.tag}-batch-${n}`, items, budget: START_CREDITS, ...TIMINGS },
      ),
    ),
  );
  const credits = runner.startMany('credits', supply, plan.perKind, {});
  const approvals = runner.startMany('approval', supply, plan.perKind, {
    budget: { maxTotal: '0.01', approval: 'wait', approvalTimeoutMs: 10 * 60_000 },
  });
  const approving = runner.each(approvals, async (handle) => {
    await runner.untilStage(handle, 'AWAITING_APPROVAL');
    await patiently(() => handle.executeUpdate(approveUpdate, { args: [{ approved: true, note: 'production tier' }] }));
  });
  const faults = strikeFaults(stack, app, seconds, log, stopped);
  const phase1 = await Promise.all([runner.results(credits), runner.results(approvals)]);
  const batchResults = await Promise.all(batches.map(({ handle }) => patiently(() => handle.result())));
  const batchRows = await Promise.all(batchResults.map((result) => readBatchItems(app.client, result)));
  await approving;
  const faultLog = await faults;

  // Every credits payment so far is in the audit: the balance must be the start minus their totals.
  const paidWithCredits = (await app.admin.orders(ACME.organisation))
    .filter((o) => o.status === 'PAID' && o.payment_method !== 'CARD')
    .map((o) => o.total as string);
  const creditsReport = {
    expected: subtract(START_CREDITS, add('0', ...paidWithCredits)),
    actual: await app.admin.credits(ACME.organisation),
  };

  log(`phase 2 (${seconds()} s): card purchases paid on the checkout page, cancelled and expired purchases`);
  await app.admin.setCredits(ACME.organisation, '0');
  const cards = runner.startMany('card', supply, plan.perKind, { poll: HOUR_POLLS });
  const cancels = runner.startMany('cancel', supply, plan.perKind, { poll: HOUR_POLLS });
  const expiries = runner.startMany('expiry', supply, plan.perKind, EXPIRY);
  const paying = runner.each(cards, async (handle) => {
    const waiting = await runner.untilStage(handle, 'AWAITING_PAYMENT');
    const paid = await fetch(`${waiting.checkoutUrl}/pay`, { method: 'POST' });
    if (paid.status !== 200) throw new Error(`paying ${handle.workflowId} answered ${paid.status}`);
  });
  const cancelling = runner.each(cancels, async (handle) => {
    await runner.untilStage(handle, 'AWAITING_PAYMENT');
    await patiently(() => handle.signal(cancelSignal, 'cancelled by the production tier'));
  });
  const phase2 = await Promise.all([runner.results(cards), runner.results(cancels), runner.results(expiries)]);
  await Promise.all([paying, cancelling]);

  return {
    purchases: [...phase1, ...phase2].flat(),
    batches: batchResults,
    batchRows,
    batchItems,
    orders: await app.admin.orders(ACME.organisation),
    credits: creditsReport,
    faults: faultLog,
    seconds: seconds(),
  };
}

interface Started {
  kind: PurchaseKind;
  items: LineItem[];
  handle: Promise<PurchaseHandle>;
}

/** Starts purchases of one kind and follows them through outages (every client call is retried patiently). */
class PurchaseRunner {
  private next = 0;

  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    readonly tag: string,
  ) {}

  startMany(kind: PurchaseKind, supply: ItemSupply, count: number, extra: Partial<PurchaseInput>): Started[] {
    return Array.from({ length: count }, () => {
      const items = supply.take(1);
      const input: PurchaseInput = { purchaseId: `${this.tag}-${kind}-${this.next++}`, items, ...TIMINGS, ...extra };
      const options = { taskQueue: this.taskQueue, organisationId: ACME.organisation };
      const handle = patiently(() => startPurchase(this.client, options, input)).then((s) => s.handle);
      return { kind, items, handle };
    });
  }

  /** Runs `act` on each purchase, 20 at a time. */
  async each(started: Started[], act: (handle: PurchaseHandle) => Promise<void>): Promise<void> {
    await pool(started.length, 20, async (i) => act(await started[i].handle));
  }

  results(started: Started[]): Promise<TierReport['purchases']> {
    return Promise.all(
      started.map(async ({ kind, items, handle }) => {
        const h = await handle;
        return { kind, items, result: await patiently(() => h.result()) };
      }),
    );
  }

  async untilStage(handle: PurchaseHandle, stage: PurchaseStage): Promise<{ checkoutUrl: string | null }> {
    for (const deadline = Date.now() + 5 * 60_000; Date.now() < deadline;) {
      const status = await handle.query(statusQuery).catch(() => undefined);
      if (status?.stage === stage) return status;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`purchase ${handle.workflowId} did not reach ${stage} within 5 minutes`);
  }
}

/**
 * The faults, each when the run has paid a given number of orders (so they strike mid-run whatever the
 * machine's speed): a worker SIGKILLed and restarted, the Temporal server SIGKILLed and restarted on its
 * database, PostgreSQL stopped as a crash would (`pg_ctl restart -m immediate`) and recovered.
 */
async function strikeFaults(
  stack: TemporalOnPostgres,
  app: TierApp,
  seconds: () => number,
  log: (line: string) => void,
  stopped: AbortSignal,
): Promise<Fault[]> {
  const steps: Array<[number, string, () => Promise<void>]> = [
    [100, 'worker 1 killed (SIGKILL) and restarted', () => app.killAndRestartWorker(0)],
    [
      250,
      'Temporal server killed (SIGKILL) and restarted',
      async () => {
        await stack.killServer();
        await stack.restartServer();
      },
    ],
    [400, 'PostgreSQL restarted in immediate mode', () => stack.restartPostgres('immediate')],
  ];
  const faults: Fault[] = [];
  for (const [threshold, what, strike] of steps) {
    const paid = await untilPaidOrders(app, threshold, stopped);
    // A run given up on (the test's time ran out) strikes nothing more at a stack being torn down.
    if (paid === undefined) break;
    await strike();
    faults.push({ what, atPaidOrders: paid, atSeconds: seconds() });
    log(`${what} at ${paid} paid orders, ${seconds()} s into the run`);
  }
  return faults;
}

async function untilPaidOrders(app: TierApp, count: number, stopped: AbortSignal): Promise<number | undefined> {
  while (!stopped.aborted) {
    const orders = await app.admin.orders(ACME.organisation).catch((err: unknown) => {
      if (stopped.aborted) return [];
      throw err;
    });
    const paid = orders.filter((o) => o.status === 'PAID').length;
    if (paid >= count && !stopped.aborted) return paid;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return undefined;
}
