/**
 * Upgrading Temporal under a deployment: a database made by the native stack's first release (that release's
 * schema job, server and namespace job), with one purchase completed on it and one waiting for its card payment,
 * is stopped and started again by today's stack. It runs every release in between on the database, one minor
 * version at a time, then the current one; both purchases are still there and listed, and the waiting one
 * completes when paid. The workers, the webhook listener and the simulator run on through the upgrade.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ItemSupply } from '../../harness/catalog';
import { TemporalOnPostgres } from '../../local/production-stack/temporal-on-postgres';
import { TEMPORAL_SERVER_RELEASES, TEMPORAL_SERVER_VERSION } from '../../local/temporal-server-releases';
import { statusQuery } from '../../src/shared/purchase-messages';
import { startPurchase, type PurchaseHandle } from '../../src/workflow-client/purchase-client';
import { ACME } from '../../harness/simulator';
import { patiently, until } from '../../harness/until';
import { TierApp } from './support/tier-app';

const FIRST_RELEASE = TEMPORAL_SERVER_RELEASES[0];
const HOUR = 3_600_000;
/** Polled once an hour: the purchases end by the webhook's signal. */
const HOUR_POLLS = { firstMs: HOUR, factor: 1, capMs: HOUR };

let dir: string;
let stack: TemporalOnPostgres | undefined;
let app: TierApp | undefined;
const log = (line: string) => process.stderr.write(`[server upgrade] ${line}\n`);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-server-upgrade-'));
  fs.chmodSync(dir, 0o711); // PostgreSQL, run as its own user when we are root, must reach its cluster inside
  fs.mkdirSync(path.join(dir, 'app'));
  const options = { dataDir: path.join(dir, 'stack'), port: 0, postgresPort: 0, metricsPort: 0, log };
  stack = await TemporalOnPostgres.start({ ...options, release: FIRST_RELEASE });
  app = await TierApp.start(stack.address, path.join(dir, 'app'), 1);
}, 10 * 60_000);

afterAll(async () => {
  await app?.stop();
  await stack?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function serverVersion(address: string): Promise<string | undefined> {
  const connection = await Connection.connect({ address });
  try {
    return (await connection.workflowService.getClusterInfo({})).serverVersion ?? undefined;
  } finally {
    await connection.close();
  }
}

async function awaitingPayment(handle: PurchaseHandle): Promise<string> {
  const status = await until(
    `${handle.workflowId} awaiting payment`,
    () => handle.query(statusQuery),
    (s) => s.stage === 'AWAITING_PAYMENT',
    60_000,
  );
  return status.checkoutUrl as string;
}

/** Pays on the checkout page, as the buyer would: the simulator posts the signed event to the webhook listener. */
async function pay(checkoutUrl: string): Promise<void> {
  const paid = await fetch(`${checkoutUrl}/pay`, { method: 'POST' });
  expect(paid.status).toBe(200);
}

async function listedPurchases(a: TierApp): Promise<Array<[string, string]>> {
  const rows: Array<[string, string]> = [];
  for await (const execution of a.client.workflow.list({ query: 'WorkflowType = "purchaseWorkflow"' }))
    rows.push([execution.workflowId, execution.status.name]);
  return rows.sort();
}

test(
  'a database of the first release is upgraded a minor version at a time, and its purchases carry on',
  async () => {
    const first = stack as TemporalOnPostgres;
    const running = app as TierApp;
    expect(await serverVersion(first.address)).toBe(FIRST_RELEASE.slice(1));

    await running.admin.setCredits(ACME.organisation, '0'); // every order waits for a card payment
    const [paidItem, waitingItem] = (await ItemSupply.load(running.simulator.url, 2)).take(2).map((item) => [item]);
    const options = { taskQueue: running.taskQueue, organisationId: ACME.organisation };
    const start = async (purchaseId: string, items: typeof paidItem) =>
      (await startPurchase(running.client, options, { purchaseId, items, poll: HOUR_POLLS })).handle;
    const paid = await start('upgrade-paid', paidItem);
    const waiting = await start('upgrade-waiting', waitingItem);
    await pay(await awaitingPayment(paid));
    expect(await paid.result()).toMatchObject({ end: 'COMPLETED' });
    const checkoutUrl = await awaitingPayment(waiting);

    log(`stopping Temporal ${FIRST_RELEASE} and PostgreSQL; starting the stack of Temporal ${TEMPORAL_SERVER_VERSION}`);
    await first.stop();
    stack = undefined;
    const lines: string[] = [];
    stack = await TemporalOnPostgres.start({
      dataDir: first.dataDir,
      log: (line) => {
        lines.push(line);
        log(line);
      },
    });
    expect(await serverVersion(stack.address)).toBe(TEMPORAL_SERVER_VERSION.slice(1));
    // Every release in between ran on the database, in order, before the current one.
    const ranFirst = lines.flatMap((line) => /running (v[\d.]+) on the database first/.exec(line)?.[1] ?? []);
    expect(ranFirst).toEqual(TEMPORAL_SERVER_RELEASES.slice(1, -1));
    expect(stack.state.temporalServerVersion).toBe(TEMPORAL_SERVER_VERSION);

    // Both are listed by SQL visibility as they were, and the waiting one still answers its query.
    expect(await patiently(() => listedPurchases(running))).toEqual([
      ['upgrade-paid', 'COMPLETED'],
      ['upgrade-waiting', 'RUNNING'],
    ]);
    expect(await patiently(() => waiting.query(statusQuery))).toMatchObject({ stage: 'AWAITING_PAYMENT', checkoutUrl });
    await pay(checkoutUrl);
    expect(await patiently(() => waiting.result())).toMatchObject({ end: 'COMPLETED', paymentMethod: 'CARD' });
    // Visibility records a close a moment after the result is out.
    const closed = (rows: Array<[string, string]>) => rows.every(([, status]) => status === 'COMPLETED');
    expect(await until('both purchases listed as completed', () => listedPurchases(running), closed)).toHaveLength(2);
  },
  10 * 60_000,
);
