/**
 * A deploy in the middle of long waits, and its rollback, on Temporal with PostgreSQL. Build A is the current
 * release (0.1.0, built from its own sources at the commit test/histories/0.1.0/COMMIT records); it starts a purchase waiting for card payment, one waiting
 * for approval, one waiting for an item the first one holds, a batch whose purchases wait for payment, and, with A's own
 * `dcp`, a coverage batch and a schedule whose first run wait for payment too; the schedule's next run starts on B. Build B is today's code with a behaviour change in the
 * purchase and the batch workflows (a new first step and a mark on the result, each behind `patched()`, as
 * docs/operations.md says a change must be). B's workers start with the replay check on while A's still run; once
 * B polls, A's are stopped, and every execution is finished on B: paid, approved. Everything ends COMPLETED with
 * the change, no workflow task failed, no order was created twice, and the claim registry still answers.
 * Rolling back: A cannot replay an execution B started (its replay check refuses to start), so the rollback is
 * build R, B's code with the change turned off for new executions by a second patch; B's executions finish on it.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScheduleHandle, WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { settingsEnvironment } from '../../src/config/settings';
import type { BatchResult } from '../../src/shared/batch-types';
import { claimsQuery } from '../../src/shared/claim-messages';
import { progressQuery } from '../../src/shared/batch-messages';
import { approveUpdate, paymentCompletedSignal } from '../../src/shared/purchase-messages';
import type { PurchaseResult } from '../../src/shared/purchase-types';
import { claimsTaskQueue } from '../../src/shared/task-queues';
import { startBatch } from '../../src/workflow-client/batch-client';
import { until } from '../../harness/until';
import { regionAoi } from '../support/batch-env';
import { runDcpProgram, type DcpRun } from '../support/dcp';
import { FAST, PurchaseEnv } from '../support/purchase-env';
import { runWorkerProcess, type WorkerProcess } from '../support/worker-process';

jest.setTimeout(600_000);

const ROOT = path.resolve(__dirname, '../..');
const UNHANDLED_COMMAND = temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND;
/** The release build A is made from: its histories directory records its commit (tags may not travel with a clone). */
const RELEASE_COMMIT = fs.readFileSync(path.join(ROOT, 'test/histories/0.1.0/COMMIT'), 'utf8').trim();
/** What build B changes: the purchase and the batch start with a timer, and mark their result. */
const CHANGE_ID = 'upgrade-test-build-b';
const MARK = 'finished on build B';

let env: PurchaseEnv;
let work: string;
let buildA: string;
let buildB: string;
let buildR: string;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-upgrade-'));
  env = await PurchaseEnv.start({ worker: false });
  buildA = build('a', RELEASE_COMMIT);
  buildB = build('b', 'HEAD', (dir) => changeWorkflows(dir));
  buildR = build('r', 'HEAD', (dir) => changeWorkflows(dir, true));
}, 300_000);

afterAll(async () => {
  for (const worker of workers) worker.child.kill('SIGKILL');
  await env?.close();
});

/** A build's sources at a revision, compiled and bundled as `npm run build` does, on this checkout's modules. */
function build(name: string, revision: string, change?: (dir: string) => void): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  try {
    execFileSync('git', ['rev-parse', '--verify', '--quiet', `${revision}^{commit}`], { cwd: ROOT });
  } catch {
    throw new Error(`${revision} is not in this clone: it needs the project's whole history (git fetch --unshallow)`);
  }
  const archive = execFileSync('git', ['archive', revision], { cwd: ROOT, maxBuffer: 512 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  change?.(dir);
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir });
  execFileSync(process.execPath, ['dist/src/runtime/bundle-workflows.js'], { cwd: dir });
  return dir;
}

/**
 * Build B's change, written into its copy of the workflows as a developer would: new behaviour behind a patch.
 * `rolledBack` writes build R, which undoes it the only way patching allows: the change's patch calls stay (an
 * execution started on B replays through them), and a second patch turns the new behaviour off for new executions.
 */
function changeWorkflows(dir: string, rolledBack = false): void {
  const edit = (file: string, before: string, after: string) => {
    const source = path.join(dir, 'src/workflows', file);
    const text = fs.readFileSync(source, 'utf8');
    if (!text.includes(before)) throw new Error(`build B: ${file} no longer has \`${before}\``);
    fs.writeFileSync(
      source,
      `import { patched as patchedB, sleep as sleepB } from '@temporalio/workflow';\n${text.replace(before, after)}`,
    );
  };
  const on = (step: string) =>
    rolledBack
      ? `(patchedB('${CHANGE_ID}-${step}') && !patchedB('${CHANGE_ID}-${step}-rolled-back'))`
      : `patchedB('${CHANGE_ID}-${step}')`;
  // A new first step (a timer) changes the commands of every execution from its start: on a history written by A
  // it must not run (patched() is false there), or B would fail those executions with non-determinism errors.
  const marked = (run: string) =>
    `CancellationScope.nonCancellable(async () => {
    if (${on('first-step')}) await sleepB(1);
    const result = await ${run};
    return ${on('mark')} ? { ...result, buildB: '${MARK}' } : result;
  })`;
  edit('purchase.ts', 'CancellationScope.nonCancellable(() => purchase.run())', marked('purchase.run()'));
  edit('batch.ts', 'CancellationScope.nonCancellable(() => batch.run())', marked('batch.run()'));
}

/** A worker process of a build, configured as production is, with the replay check on. */
function startWorker(dir: string): WorkerProcess {
  const worker = runWorkerProcess(
    { ...settingsEnvironment(env.settings), LOG_LEVEL: 'info', WORKER_REPLAY_CHECK: '20' },
    path.join(dir, 'dist/src/worker.js'),
  );
  workers.push(worker);
  return worker;
}

/** A file in this test's work directory, as JSON. */
function writeFile(name: string, content: unknown): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, JSON.stringify(content));
  return file;
}

/** Build A's `dcp`, run as a user of the release would. */
function dcpOfA(args: string[]): Promise<DcpRun> {
  return runDcpProgram(path.join(buildA, 'dist/src/starter.js'), env.settings, args);
}

/** Starts a batch or creates a schedule with build A's `dcp` under this id; the batch's handle. */
async function startWithDcpOfA(id: string, args: string[]): Promise<WorkflowHandle> {
  const idOption = args[0] === 'schedule' ? '--schedule-id' : '--batch-id';
  expect(await dcpOfA([...args, idOption, id])).toMatchObject({ code: 0 });
  return env.client.workflow.getHandle(id);
}

/** Triggers one run of the schedule; the batch it started. */
async function triggerScheduleRun(schedule: ScheduleHandle, trigger: () => Promise<unknown>): Promise<WorkflowHandle> {
  const before = (await schedule.describe()).info.recentActions.length;
  await trigger();
  const described = await until(
    'the triggered run',
    () => schedule.describe(),
    (d) => d.info.recentActions.length > before,
  );
  return env.client.workflow.getHandle(described.info.recentActions.at(-1)!.action.workflow.workflowId);
}

/**
 * Every workflow task failure in the histories on this environment's queues, but the server's UnhandledCommand: it
 * refuses a task's commands when a new event (a signal) arrived while the task ran, and the worker runs the task
 * again with that event; nothing of the code failed.
 */
async function workflowTaskFailures(): Promise<string[]> {
  const query = `TaskQueue = '${env.taskQueue}' OR TaskQueue = '${claimsTaskQueue(env.taskQueue)}'`;
  const failures: string[] = [];
  for await (const { workflowId, history } of env.client.workflow.list({ query }).intoHistories()) {
    for (const event of (history as temporal.api.history.v1.IHistory).events ?? []) {
      const failed = event.workflowTaskFailedEventAttributes;
      if (failed && failed.cause !== UNHANDLED_COMMAND)
        failures.push(`${workflowId}: ${failed.failure?.message ?? failed.cause}`);
    }
  }
  return failures;
}

test('build B takes over purchases and a batch waiting on build A: all finish, with the change, nothing twice', async () => {
  // Build A starts the waits.
  const workerA = startWorker(buildA);
  await env.admin.setCredits(env.account.organisation, '0');
  const cardItems = await env.items(1);
  const card = await env.buy({ items: cardItems, paymentWindowMs: 3_600_000 });
  const approval = await env.buy({
    items: await env.items(1),
    budget: { maxTotal: '0.01', approval: 'wait', approvalTimeoutMs: 3_600_000 },
  });
  const { handle: batch } = await startBatch(
    env.client,
    { taskQueue: env.taskQueue, organisationId: env.account.organisation },
    {
      batchId: `upgrade-batch-${path.basename(work)}`,
      items: await env.items(4),
      concurrency: 4,
      budget: '100000',
      ...FAST,
      paymentWindowMs: 3_600_000,
    },
  );
  // A coverage batch and a schedule's run, both started by build A's own `dcp`: their inputs are A's.
  const coverage = await startWithDcpOfA(`upgrade-coverage-${path.basename(work)}`, [
    'batch',
    '--aoi',
    writeFile('coverage.geojson', regionAoi(3, 10, -10).geometry),
    '--collection',
    'mantis-l1d-cogs',
    '--budget',
    '100000',
    '--concurrency',
    '20',
    '--no-wait',
  ]);
  const scheduleId = `upgrade-schedule-${path.basename(work)}`;
  const schedule = env.client.schedule.getHandle(scheduleId);
  await startWithDcpOfA(scheduleId, [
    'schedule',
    'create',
    '--search',
    writeFile('schedule-search.json', { collections: ['hammer-l1c-cogs'], maxItems: 2 }),
    '--every',
    '3650d',
    '--budget-per-run',
    '100000',
  ]);
  const scheduledOnA = await triggerScheduleRun(schedule, () => dcpOfA(['schedule', 'trigger', scheduleId]));
  await env.waitForStage(card, 'AWAITING_PAYMENT');
  // A purchase of the card purchase's item and one more, waiting for the claim the card purchase holds.
  const claimWait = await env.buy({
    items: [...cardItems, ...(await env.items(1))],
    whenClaimed: 'wait',
    paymentWindowMs: 3_600_000,
  });
  await until(
    'a purchase waiting for a claim',
    () => env.status(claimWait),
    (status) => status.stage === 'CLAIMING' && /held/.test(status.lastError ?? ''),
    60_000,
  );
  await env.waitForStage(approval, 'AWAITING_APPROVAL');
  const batches = [batch as WorkflowHandle, coverage, scheduledOnA];
  await until(
    "every batch's purchases (and the card purchase) waiting for payment",
    async () => {
      const progress = await Promise.all(batches.map((handle) => handle.query(progressQuery)));
      const orders = await env.admin.orders(env.account.organisation);
      return {
        allStarted: progress.every((p) => p.inputExhausted && p.queued === 0 && p.inFlight > 0),
        inFlight: 1 + progress.reduce((sum, p) => sum + p.inFlight, 0),
        unpaid: orders.filter((o) => o.status === 'UNPAID').length,
        orders: orders.length,
      };
    },
    (s) => s.allStarted && s.unpaid === s.inFlight && s.orders === s.unpaid,
    180_000,
  );

  // Build B rolls out beside A; once it polls (its replay check passed), A is stopped.
  const rolloutStarted = Date.now();
  const workerB = startWorker(buildB);
  const polling = until(
    'build B to pass its replay check and poll',
    async () => workerB.stderr(),
    (log) => log.includes('"worker started"'),
    120_000,
  );
  const refused = workerB.exited.then((code) => {
    throw new Error(`build B exited ${code}: ${workerB.stderr().trim().split('\n').pop()}`);
  });
  refused.catch(() => undefined); // its stop at the end is not a refusal
  await Promise.race([polling, refused]);
  expect(workerB.stderr()).toMatch(/"replay check passed"/);
  expect(await workerA.stop()).toBe(0);
  const overlapMs = Date.now() - rolloutStarted;

  // Everything finishes on B: the orders are paid, the purchase over budget approved, the claim released.
  await env.admin.setCredits(env.account.organisation, '100000');
  for (const order of await env.admin.orders(env.account.organisation)) {
    if (order.status === 'UNPAID') await env.admin.payOrder(order.id);
  }
  // As the payment webhook would: the purchases on default poll intervals look at their orders now.
  for await (const { workflowId } of env.client.workflow.list({
    query: `WorkflowType = 'purchaseWorkflow' AND TaskQueue = '${env.taskQueue}' AND ExecutionStatus = 'Running'`,
  })) {
    await env.client.workflow.getHandle(workflowId).signal(paymentCompletedSignal);
  }
  await approval.executeUpdate(approveUpdate, { args: [{ approved: true, note: 'upgrade test' }] });
  const results = (await Promise.all([card.result(), approval.result(), claimWait.result()])) as Array<
    PurchaseResult & { buildB?: string }
  >;
  for (const result of results) expect(result).toMatchObject({ end: 'COMPLETED', buildB: MARK });
  // The waiting purchase found the card purchase's item owned once that was paid, and bought the other.
  expect(results[2].dropped).toEqual([
    expect.objectContaining({ item: cardItems[0].item, outcome: 'ALREADY_OWNED', purchaseId: card.workflowId }),
  ]);
  const batchResult = (await (batch as WorkflowHandle).result()) as BatchResult & { buildB?: string };
  expect(batchResult).toMatchObject({ end: 'COMPLETED', buildB: MARK });
  expect(batchResult.counts).toMatchObject({ PAID: 4 });
  const coverageResult = (await coverage.result()) as BatchResult & { buildB?: string };
  expect(coverageResult).toMatchObject({ end: 'COMPLETED', buildB: MARK });
  expect(coverageResult.counts.PAID).toBeGreaterThan(0);
  expect(coverageResult.coveragePlan?.stoppedBy).toBe('target');
  const scheduledResult = (await scheduledOnA.result()) as BatchResult & { buildB?: string };
  expect(scheduledResult).toMatchObject({
    end: 'COMPLETED',
    buildB: MARK,
    counts: expect.objectContaining({ PAID: 2 }),
  });
  // The schedule A created starts its next run on B, from the action A wrote: the same window, bought already.
  const scheduledOnB = await triggerScheduleRun(schedule, () => schedule.trigger());
  const nextRun = (await scheduledOnB.result()) as BatchResult & { buildB?: string };
  expect(nextRun).toMatchObject({ end: 'COMPLETED', buildB: MARK });
  expect(nextRun.counts).toMatchObject({ PAID: 0, ALREADY_OWNED: 2 });
  await schedule.delete();

  // A purchase started after the rollout runs on B from its start.
  const after = (await (await env.buy({ items: await env.items(1) })).result()) as PurchaseResult & { buildB?: string };
  expect(after).toMatchObject({ end: 'COMPLETED', buildB: MARK });

  const orders = await env.admin.orders(env.account.organisation);
  const ordered = orders.flatMap((order) => order.items.map((item) => `${item.collection}/${item.item}`));
  expect(new Set(ordered).size).toBe(ordered.length);
  expect(orders).toHaveLength(8 + coverageResult.counts.PAID + scheduledResult.counts.PAID);
  expect(await workflowTaskFailures()).toEqual([]);
  // The claim registries, started on A and running on B, answer with every bought item owned.
  const owned: string[] = [];
  const registries = `WorkflowType = 'claimRegistryWorkflow' AND TaskQueue = '${claimsTaskQueue(env.taskQueue)}'`;
  for await (const { workflowId } of env.client.workflow.list({ query: registries })) {
    const claims = await env.client.workflow.getHandle(workflowId).query(claimsQuery, {});
    owned.push(...claims.filter((claim) => claim.state === 'OWNED').map((claim) => claim.item));
  }
  expect(owned.sort()).toEqual([...ordered].sort());
  expect(await workerB.stop()).toBe(0);
  process.stdout.write(`upgrade: build A stayed up ${(overlapMs / 1000).toFixed(1)} s after build B started\n`);
});

/** The timers an execution started before its first activity: build B's first step, if it ran. */
async function firstStepTimers(handle: WorkflowHandle): Promise<number> {
  const events = (await handle.fetchHistory()).events ?? [];
  const firstActivity = events.findIndex((e) => e.activityTaskScheduledEventAttributes);
  return events.slice(0, firstActivity).filter((e) => e.timerStartedEventAttributes).length;
}

test("rolling back: A refuses a purchase B started; build R turns the change off for new purchases and finishes B's", async () => {
  for (const worker of workers) worker.child.kill('SIGKILL'); // none of the test before may take a task here
  const workerB = startWorker(buildB);
  await env.admin.setCredits(env.account.organisation, '0');
  const startedOnB = await env.buy({ items: await env.items(1), paymentWindowMs: 3_600_000 });
  const { orderId } = await env.waitForStage(startedOnB, 'AWAITING_PAYMENT');
  expect(await firstStepTimers(startedOnB)).toBe(1);

  // Straight back to A: A's code cannot replay what B wrote, and its replay check says so before it takes a task.
  const workerA = startWorker(buildA);
  expect(await workerA.exited).toBe(10);
  expect(workerA.stderr()).toContain(`cannot replay purchaseWorkflow ${startedOnB.workflowId} (run `);
  // The first marker of B's history that A does not know: every execution since 0.1.0 records, in its first
  // task, whether it notifies (before B's own change, at its first step).
  expect(workerA.stderr()).toContain('patch marker encountered for change notifications-at-start');

  // Build R rolls out beside B instead; B stops once R polls.
  const workerR = startWorker(buildR);
  await until(
    'build R to poll',
    async () => workerR.stderr(),
    (log) => log.includes('"worker started"'),
    120_000,
  );
  expect(await workerB.stop()).toBe(0);

  await env.admin.payOrder(orderId as string);
  await env.admin.setCredits(env.account.organisation, '100000');
  const finished = (await startedOnB.result()) as PurchaseResult & { buildB?: string };
  expect(finished.end).toBe('COMPLETED');
  expect(finished.buildB).toBeUndefined();

  const startedOnR = await env.buy({ items: await env.items(1) });
  const after = (await startedOnR.result()) as PurchaseResult & { buildB?: string };
  expect(after.end).toBe('COMPLETED');
  expect(after.buildB).toBeUndefined();
  expect(await firstStepTimers(startedOnR)).toBe(0); // A's behaviour again
  expect(await workflowTaskFailures()).toEqual([]);
  expect(await workerR.stop()).toBe(0);
});
