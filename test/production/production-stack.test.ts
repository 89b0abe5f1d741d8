/**
 * The production tier: the native production stack (Temporal with 4 history shards on PostgreSQL, SQL
 * visibility, set up by the deploy scripts) with two worker processes sharing the fleet budget, the webhook
 * listener and the simulator. 100 purchases of every kind and two batches of 500 items with 250 in common run
 * while a worker is SIGKILLed, the Temporal server is SIGKILLed and PostgreSQL crash-restarts; every promise of
 * the project is then checked on what happened (support/tier-run.ts).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TemporalOnPostgres } from '../../local/production-stack/temporal-on-postgres';
import { settingsEnvironment } from '../../src/config/settings';
import { itemKey } from '../../src/shared/item-key';
import { METRIC } from '../../src/shared/metric-names';
import { until } from '../../harness/until';
import { TierApp } from './support/tier-app';
import { PURCHASE_KINDS, runTier, type PurchaseKind, type TierReport } from './support/tier-run';

const PLAN = { perKind: 100, batchSize: 500, batchOverlap: 250 };
const EXPECTED_END: Record<PurchaseKind, string> = {
  credits: 'COMPLETED',
  approval: 'COMPLETED',
  card: 'COMPLETED',
  cancel: 'CANCELLED',
  expiry: 'EXPIRED',
};
const DCP = path.resolve(__dirname, '../../dist/src/starter.js');

let stack: TemporalOnPostgres;
let app: TierApp;
let dir: string;
let report: TierReport;
/** Ends the run's background fault loop when the tier is torn down before the run finished. */
const teardown = new AbortController();

// The run takes 3.5 to 7 minutes on a 2-core machine (the slower under other load); its bound leaves room.
beforeAll(async () => {
  const log = (line: string) => process.stderr.write(`[production tier] ${line}\n`);
  stack = await TemporalOnPostgres.attach(process.env.DCP_TEST_PRODUCTION_STACK as string);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-production-tier-'));
  app = await TierApp.start(stack.address, dir, 2);
  report = await runTier(stack, app, PLAN, log, teardown.signal);
  log(
    `${report.purchases.length} purchases and ${report.batches.length} batches in ${report.seconds} s; ` +
      `faults: ${report.faults.map((f) => `${f.what} (${f.atSeconds} s)`).join('; ')}`,
  );
}, 20 * 60_000);

afterAll(async () => {
  teardown.abort();
  await app?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('every purchase reaches its expected end; card purchases end by the webhook, not by polling', () => {
  const ends: Record<string, Record<string, number>> = {};
  for (const { kind, result } of report.purchases) {
    ends[kind] ??= {};
    ends[kind][result.end] = (ends[kind][result.end] ?? 0) + 1;
  }
  expect(ends).toEqual(
    Object.fromEntries(PURCHASE_KINDS.map((kind) => [kind, { [EXPECTED_END[kind]]: PLAN.perKind }])),
  );
  const cards = report.purchases.filter((p) => p.kind === 'card').map((p) => p.result);
  // Polled once an hour: the first poll at checkout, the second one woken by the webhook's signal.
  expect(cards.filter((r) => r.paymentMethod !== 'CARD' || r.polls > 2)).toEqual([]);
});

test('one order per purchase (simulator audit), the one each purchase reports', () => {
  const ordersOf = ordersByItem(report);
  const wrong = report.purchases.filter(({ items, result }) => {
    const orders = ordersOf.get(itemKey(items[0])) ?? [];
    return orders.length !== 1 || orders[0] !== result.orderId;
  });
  expect(wrong.map((p) => `${p.result.purchaseId}: ${JSON.stringify(ordersOf.get(itemKey(p.items[0])))}`)).toEqual([]);
});

test('the batches bought every one of their items, each row naming its order', () => {
  const ordersOf = ordersByItem(report);
  for (const [n, result] of report.batches.entries()) {
    expect(result.end).toBe('COMPLETED');
    const rows = report.batchRows[n];
    expect(rows.filter((row) => !['PAID', 'ALREADY_OWNED', 'IN_FLIGHT'].includes(row.outcome))).toEqual([]);
    const paid = rows.filter((row) => row.outcome === 'PAID');
    expect(paid.filter((row) => !(ordersOf.get(itemKey(row)) ?? []).includes(row.orderId as string))).toEqual([]);
  }
  const union = new Set(report.batchItems.flat().map(itemKey));
  expect(union.size).toBe(2 * PLAN.batchSize - PLAN.batchOverlap);
  expect([...union].filter((key) => !ordersOf.has(key))).toEqual([]);
  // No stray orders: every order of a batch item is one a batch reports as its purchase's.
  const reported = new Set(report.batchRows.flatMap((rows) => rows.map((row) => row.orderId)));
  const stray = [...union].flatMap((key) => (ordersOf.get(key) ?? []).filter((id) => !reported.has(id)));
  expect(stray).toEqual([]);
});

test('no item is bought twice across the two batches started at the same instant', () => {
  const ordersOf = ordersByItem(report);
  const union = [...new Set(report.batchItems.flat().map(itemKey))];
  const twice = union.filter((key) => (ordersOf.get(key) ?? []).length > 1);
  expect({ items: union.length, boughtTwice: twice.length }).toEqual({ items: union.length, boughtTwice: 0 });
});

test('credits are exact: the start balance minus every order paid with credits', () => {
  expect(report.credits.actual).toBe(report.credits.expected);
});

test('a worker, the Temporal server and PostgreSQL failed mid-run, and nothing is left running', async () => {
  expect(report.faults.map((f) => f.what)).toEqual([
    'worker 1 killed (SIGKILL) and restarted',
    'Temporal server killed (SIGKILL) and restarted',
    'PostgreSQL restarted in immediate mode',
  ]);
  // Visibility records a close a moment after the result is out.
  const query = `TaskQueue = "${app.taskQueue}" AND ExecutionStatus = "Running"`;
  await until(
    'no workflow left running',
    () => app.client.workflow.count(query),
    ({ count }) => count === 0,
  );
});

test('dcp list --stage works on SQL visibility, also with --batch', async () => {
  const ids = (kind: PurchaseKind) =>
    report.purchases
      .filter((p) => p.kind === kind)
      .map((p) => p.result.purchaseId)
      .sort();
  const listed = (...args: string[]) => dcpList(...args).sort();
  await until(
    'expired purchases listed',
    async () => listed('--stage', 'EXPIRED'),
    (l) => l.length === PLAN.perKind,
  );
  expect(listed('--stage', 'EXPIRED')).toEqual(ids('expiry'));
  expect(listed('--stage', 'CANCELLED')).toEqual(ids('cancel'));
  const [first] = report.batches;
  const paid = report.batchRows[0].filter((row) => row.outcome === 'PAID').length;
  expect(listed('--stage', 'COMPLETED', '--batch', first.batchId)).toHaveLength(paid);
});

test('the webhook found each card purchase by its order id: signalled it, or found it ended by its own poll', async () => {
  const cardOrders = new Map(
    report.purchases.filter((p) => p.kind === 'card').map((p) => [p.result.orderId as string, p.result.purchaseId]),
  );
  // The webhook writes its line once the signal is sent, and the purchase may end before the line reaches the file.
  // A purchase whose poll saw the payment first has ended when the event arrives: the webhook finds it closed.
  const unhandled = async () => {
    const handled = new Map(
      fs
        .readFileSync(app.webhookLog, 'utf8')
        .split('\n')
        .filter((line) => line.includes('"payment event handled"'))
        .map((line) => JSON.parse(line) as { orderId: string; purchaseId: string; outcome: string })
        .filter((line) => line.outcome === 'signalled' || line.outcome === 'closed')
        .map((line) => [line.orderId, line.purchaseId]),
    );
    return [...cardOrders].filter(([orderId, purchaseId]) => handled.get(orderId) !== purchaseId).map(([id]) => id);
  };
  expect(
    await until('every card order handled in the webhook log', unhandled, (left) => left.length === 0, 10_000),
  ).toEqual([]);
});

test('every worker serves its metrics', async () => {
  for (const url of app.workerMetricsUrls) {
    const text = await (await fetch(url)).text();
    expect(text).toContain(METRIC.datacosmosRequests);
  }
});

function ordersByItem(r: TierReport): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const order of r.orders)
    for (const line of order.items) map.set(itemKey(line), [...(map.get(itemKey(line)) ?? []), order.id]);
  return map;
}

/** `dcp list ... --json` against the stack, configured through the environment as in production. */
function dcpList(...args: string[]): string[] {
  const env = { PATH: process.env.PATH, ...settingsEnvironment(app.settings) };
  const run = spawnSync(process.execPath, [DCP, 'list', ...args, '--limit', '2000', '--json'], {
    env,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`dcp list ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as Array<{ purchaseId: string }>).map((row) => row.purchaseId);
}
