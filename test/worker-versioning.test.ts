/**
 * Worker Versioning (WORKER_VERSIONING=on): a roll-out of a new build in the middle of a payment wait. Build a is
 * current; a card purchase waits for payment on it; build b joins and is made current (`dcp deploy set-current`).
 * New purchases start on b, the spend ledger (AUTO_UPGRADE) moves to b, and the waiting purchase (PINNED) finishes
 * on a; `dcp deploy status` shows a draining while it runs, then nothing pinned to it, and a's worker can stop.
 */
import { randomUUID } from 'node:crypto';
import { settingsEnvironment } from '../src/config/settings';
import type { DeploymentReport } from '../src/cli/deploy';
import { paymentCompletedSignal } from '../src/shared/purchase-messages';
import { spendLedgerId } from '../src/shared/spend-limit-types';
import type { PurchaseHandle } from '../src/workflow-client/purchase-client';
import { until } from '../harness/until';
import { runDcp } from './support/dcp';
import { onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';
import { runWorkerProcess, type WorkerProcess } from './support/worker-process';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started), { worker: false });

const deployment = `dcp-test-${randomUUID().slice(0, 8)}`;
const versioned = { WORKER_VERSIONING: 'on', WORKER_DEPLOYMENT_NAME: deployment };
const workers: WorkerProcess[] = [];

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
});

function startWorker(buildId: string): WorkerProcess {
  const worker = runWorkerProcess({ ...settingsEnvironment(env.settings), ...versioned, WORKER_BUILD_ID: buildId });
  workers.push(worker);
  return worker;
}

async function dcp(args: string[]) {
  const run = await runDcp(env.settings, args, 60_000, versioned);
  if (run.code !== 0) throw new Error(`dcp ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run;
}

const deployStatus = async () => JSON.parse((await dcp(['deploy', 'status', '--json'])).stdout) as DeploymentReport;

/**
 * Makes the build current once its workers poll every queue the current build's do: until then the server refuses
 * (the queues would be left unversioned), and any other refusal fails the test.
 */
async function makeCurrent(buildId: string): Promise<void> {
  const run = await until(
    `build ${buildId} polling every queue`,
    () => runDcp(env.settings, ['deploy', 'set-current', buildId], 60_000, versioned),
    (attempt) => attempt.code === 0 || !/has polled yet|not found|not polled every queue/i.test(attempt.stderr),
    60_000,
  );
  if (run.code !== 0) throw new Error(`dcp deploy set-current ${buildId} exited ${run.code}: ${run.stderr}`);
}

/** The build the execution is on now (its versioning info). */
async function buildOf(workflowId: string): Promise<string | undefined> {
  const described = await env.client.workflow.getHandle(workflowId).describe();
  const info = described.raw.workflowExecutionInfo?.versioningInfo;
  return info?.deploymentVersion?.buildId ?? undefined;
}

/** The build whose worker completed the execution's last workflow task. */
async function lastTaskBuild(workflowId: string): Promise<string | undefined> {
  const { events } = await env.client.workflow.getHandle(workflowId).fetchHistory();
  const completed = (events ?? []).filter((e) => e.workflowTaskCompletedEventAttributes);
  return completed.at(-1)?.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ?? undefined;
}

async function pay(handle: PurchaseHandle, orderId: string): Promise<void> {
  await env.admin.payOrder(orderId);
  await handle.signal(paymentCompletedSignal, orderId);
}

test('a roll-out in the middle of a payment wait: new purchases on the new build, the waiting one ends on its own', async () => {
  await env.admin.setCredits(1001, '0'); // card payments: each purchase waits
  startWorker('a');
  await makeCurrent('a');
  const waiting = await env.buy({ items: await env.items(1) });
  const onA = await env.waitForStage(waiting, 'AWAITING_PAYMENT');
  expect(await buildOf(waiting.workflowId)).toBe('a');

  const workerB = startWorker('b');
  await makeCurrent('b');
  const rolledOut = await deployStatus();
  expect(rolledOut.currentBuild).toBe('b');
  expect(rolledOut.builds.find((b) => b.buildId === 'a')).toMatchObject({ status: 'draining' });
  expect(rolledOut.builds.find((b) => b.buildId === 'a')?.running).toBeGreaterThanOrEqual(1);

  // New work starts on b; the ledger (AUTO_UPGRADE) follows it there at its next task.
  const fresh = await env.buy({ items: await env.items(1) });
  const onB = await env.waitForStage(fresh, 'AWAITING_PAYMENT');
  expect(await buildOf(fresh.workflowId)).toBe('b');
  const ledger = spendLedgerId({ taskQueue: env.taskQueue, organisationId: 1001 });
  expect(await buildOf(ledger)).toBe('b');
  expect(await buildOf(waiting.workflowId)).toBe('a'); // PINNED: still on a

  await pay(waiting, onA.orderId as string);
  await pay(fresh, onB.orderId as string);
  expect(await waiting.result()).toMatchObject({ end: 'COMPLETED' });
  expect(await fresh.result()).toMatchObject({ end: 'COMPLETED' });
  expect(await lastTaskBuild(waiting.workflowId)).toBe('a');
  expect(await lastTaskBuild(fresh.workflowId)).toBe('b');

  // Nothing pinned to a runs any more: its worker stops, and the next purchase still completes (on b).
  await until(
    'no purchase pinned to build a',
    () =>
      env.client.workflow.count(
        `TemporalWorkerDeploymentVersion = "${deployment}:a" AND ExecutionStatus = "Running" AND TemporalWorkflowVersioningBehavior = "Pinned"`,
      ),
    (counted) => counted.count === 0,
    30_000,
  );
  expect(await workers[0].stop()).toBe(0);
  const after = await env.buy({ items: await env.items(1) });
  const afterWait = await env.waitForStage(after, 'AWAITING_PAYMENT');
  await pay(after, afterWait.orderId as string);
  expect(await after.result()).toMatchObject({ end: 'COMPLETED' });
  expect(await lastTaskBuild(after.workflowId)).toBe('b');
  expect(workerB.stderr()).not.toMatch(/nondeterminism|TMPRL1100/i);
}, 240_000);
