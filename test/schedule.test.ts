/**
 * `dcp schedule` against a real worker and the simulator: runs of a schedule over the same window buy each item
 * once (the second run finds them owned), also over an area of interest, a trigger while a run is in flight is
 * skipped, pause/resume/delete and list work, and bad flags are one line with exit 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ScheduleDescription, WorkflowHandle } from '@temporalio/client';
import type { BatchScheduleSummary } from '../src/workflow-client/schedule-client';
import { batchCancelSignal, progressQuery } from '../src/shared/batch-messages';
import type { BatchResult } from '../src/shared/batch-types';
import type { batchPurchaseWorkflow } from '../src/workflows/batch';
import { regionAoi } from './support/batch-env';
import { runDcp, type DcpRun } from './support/dcp';
import { onePurchaseEnvPerFile, type PurchaseEnv } from './support/purchase-env';
import { until } from '../harness/until';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-schedule-'));

const dcp = (args: string[]): Promise<DcpRun> => runDcp(env.settings, args);

function searchFile(search: Record<string, unknown>): string {
  const file = path.join(dir, `${randomUUID()}.json`);
  fs.writeFileSync(file, JSON.stringify(search));
  return file;
}

/** Creates a schedule whose period is long enough never to fire by itself: runs come from `trigger`. */
async function createSchedule(search: Record<string, unknown>): Promise<string> {
  const id = `sched-${randomUUID()}`;
  const args = ['schedule', 'create', '--search', searchFile(search), '--every', '3650d', '--budget-per-run', '100000'];
  const created = await dcp([...args, '--schedule-id', id]);
  expect(created).toMatchObject({ code: 0, stdout: `${id}\n`, stderr: '' });
  return id;
}

function describe_(id: string): Promise<ScheduleDescription> {
  return env.client.schedule.getHandle(id).describe();
}

/** Triggers a run and returns the batch it started, with the time it was scheduled for. */
async function triggerRun(id: string) {
  const before = (await describe_(id)).info.recentActions.length;
  expect(await dcp(['schedule', 'trigger', id])).toMatchObject({ code: 0, stderr: `schedule ${id} triggered\n` });
  const info = await until(
    'the triggered run',
    () => describe_(id),
    (d) => d.info.recentActions.length > before,
  );
  const { action, scheduledAt } = info.info.recentActions.at(-1)!;
  return {
    handle: env.client.workflow.getHandle<typeof batchPurchaseWorkflow>(action.workflow.workflowId),
    scheduledAt,
  };
}

/** The search (or coverage request) the run's first planning step was given, as its history recorded it. */
async function plannedRequest(handle: WorkflowHandle, activity = 'planChunk'): Promise<{ datetime?: string }> {
  const { events } = await handle.fetchHistory();
  const planned = events!.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity);
  const payload = planned!.activityTaskScheduledEventAttributes!.input!.payloads![0];
  const input = JSON.parse(Buffer.from(payload.data!).toString('utf8')) as Record<string, { datetime?: string }>;
  return input.search ?? input.request;
}

async function listed(id: string): Promise<BatchScheduleSummary | undefined> {
  const list = await dcp(['schedule', 'list', '--json']);
  expect(list.code).toBe(0);
  return (JSON.parse(list.stdout) as BatchScheduleSummary[]).find((s) => s.scheduleId === id);
}

test('two runs over the same window: the second buys nothing new; list, pause, resume and delete work', async () => {
  const id = await createSchedule({ collections: ['menut-l1c-cogs'], maxItems: 3 });
  const shown = await until(
    'the schedule in the list',
    () => listed(id),
    (s) => s !== undefined,
  );
  expect(shown).toMatchObject({
    paused: false,
    everyMs: 3650 * 86_400_000,
    windowMs: 3650 * 86_400_000,
    budgetPerRun: '100000',
  });

  const { handle: first } = await triggerRun(id);
  const firstResult: BatchResult = await first.result();
  expect(first.workflowId).toMatch(new RegExp(`^${id}-`));
  expect(firstResult).toMatchObject({ batchId: first.workflowId, end: 'COMPLETED', examined: 3 });
  expect(firstResult.counts.PAID).toBe(3);

  const { handle: second, scheduledAt } = await triggerRun(id);
  expect(second.workflowId).not.toBe(first.workflowId);
  const secondResult: BatchResult = await second.result();
  expect(secondResult.counts).toMatchObject({ PAID: 0, ALREADY_OWNED: 3 });
  // The window is the period before the run's scheduled time (which the server keeps to the second).
  const [from, to] = (await plannedRequest(second)).datetime!.split('/').map(Date.parse);
  expect(to - from).toBe(3650 * 86_400_000);
  expect(Math.abs(to - scheduledAt.getTime())).toBeLessThan(1000);

  // Simulator audit: each item is in exactly one order.
  const orders = await env.admin.orders(env.account.organisation);
  for (const [collection, item] of firstResult.rows) {
    const holding = orders.filter((o) => o.items.some((i) => i.collection === collection && i.item === item));
    expect(holding).toHaveLength(1);
  }

  expect(await dcp(['schedule', 'pause', id])).toMatchObject({ code: 0 });
  expect((await describe_(id)).state.paused).toBe(true);
  await until(
    'paused in the list',
    () => listed(id),
    (s) => s?.paused === true,
  );
  expect(await dcp(['schedule', 'resume', id])).toMatchObject({ code: 0 });
  expect((await describe_(id)).state.paused).toBe(false);

  const table = await dcp(['schedule', 'list']);
  expect(table.stdout).toMatch(new RegExp(`^${id}\\s+active\\s+3650d\\s+3650d\\s+100000\\s`, 'm'));

  expect(await dcp(['schedule', 'delete', id])).toMatchObject({ code: 0, stderr: `schedule ${id} deleted\n` });
  expect(await dcp(['schedule', 'trigger', id])).toMatchObject({ code: 2, stderr: `dcp: no schedule with id ${id}\n` });
  await until(
    'the schedule gone from the list',
    async () => (await listed(id)) === undefined,
    (gone) => gone,
  );
}, 60_000);

test('a schedule over an area of interest: each run plans over its window; the second finds the area owned', async () => {
  const aoi = path.join(dir, `${randomUUID()}.geojson`);
  fs.writeFileSync(aoi, JSON.stringify(regionAoi(3, 10, -10).geometry));
  const id = `sched-${randomUUID()}`;
  const create = ['schedule', 'create', '--aoi', aoi, '--every', '3650d', '--budget-per-run', '100000'];
  expect(await dcp([...create, '--schedule-id', id])).toMatchObject({ code: 0, stdout: `${id}\n` });
  try {
    const { handle: first, scheduledAt } = await triggerRun(id);
    const firstResult: BatchResult = await first.result();
    const plan = firstResult.coveragePlan!;
    const picks = await env.coveragePicks(plan);
    expect(plan.stoppedBy).toBe('target');
    expect(firstResult.counts.PAID).toBe(picks.filter((p) => !p.owned).length);
    const [from, to] = (await plannedRequest(first, 'planCoverage')).datetime!.split('/').map(Date.parse);
    expect(to - from).toBe(3650 * 86_400_000);
    expect(Math.abs(to - scheduledAt.getTime())).toBeLessThan(1000);
    // Clipped line items carry the run's batch id as their project.
    const orders = await env.admin.orders(env.account.organisation);
    const clipped = picks.find((p) => p.geometry !== null);
    const line = orders.flatMap((o) => o.items).find((i) => i.item === clipped?.item) as Record<string, unknown>;
    expect(line).toMatchObject({ project_id: first.workflowId, geometry: clipped?.geometry });

    const { handle: second } = await triggerRun(id);
    const secondResult: BatchResult = await second.result();
    expect((await env.coveragePicks(secondResult.coveragePlan!)).every((p) => p.owned)).toBe(true);
    expect(secondResult.counts.PAID).toBe(0);
    expect(secondResult.spent).toBe('0');
  } finally {
    await env.client.schedule.getHandle(id).delete();
  }
}, 60_000);

test('a trigger while a run is in flight is skipped, not stacked', async () => {
  await env.admin.setCredits(env.account.organisation, '0'); // the run's purchase waits for a card payment
  const id = await createSchedule({ collections: ['hammer-l1c-cogs'], maxItems: 1 });
  try {
    const { handle: run } = await triggerRun(id);
    await until(
      'a purchase in flight',
      () => run.query(progressQuery),
      (p) => p.inFlight === 1,
    );
    await dcp(['schedule', 'trigger', id]);
    const skipped = await until(
      'the skipped trigger',
      () => describe_(id),
      (d) => d.info.numActionsSkippedOverlap > 0,
    );
    expect(skipped.info.recentActions).toHaveLength(1);
    await run.signal(batchCancelSignal, 'test over');
    expect(await run.result()).toMatchObject({ end: 'CANCELLED' });
  } finally {
    await env.admin.setCredits(env.account.organisation, '100000');
    await env.client.schedule.getHandle(id).delete();
  }
}, 60_000);

test('bad flags are one line naming the problem, exit 2; every subcommand has --help', async () => {
  const search = searchFile({ collections: ['menut-l1c-cogs'] });
  const create = ['schedule', 'create', '--search', search];
  expect(await dcp([...create, '--budget-per-run', '10'])).toMatchObject({
    code: 2,
    stderr: "dcp: required option '--every <duration>' not specified\n",
  });
  expect(await dcp([...create, '--every', 'often', '--budget-per-run', '10'])).toMatchObject({
    code: 2,
    stderr: expect.stringMatching(
      /^dcp: option '--every <duration>' argument 'often' is invalid\. must be a duration.*\n$/,
    ),
  });
  expect(await dcp([...create, '--every', '1d', '--budget-per-run', 'lots'])).toMatchObject({ code: 2 });
  const dated = searchFile({ collections: ['menut-l1c-cogs'], datetime: '2024-01-01T00:00:00Z/..' });
  expect(await dcp(['schedule', 'create', '--search', dated, '--every', '1d', '--budget-per-run', '10'])).toMatchObject(
    {
      code: 2,
      stderr: 'dcp: invalid schedule: a scheduled search sets no datetime: each run searches its own window\n',
    },
  );
  expect(await dcp(['schedule', 'pause', `missing-${randomUUID()}`])).toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/^dcp: no schedule with id missing-.*\n$/),
  });
  for (const sub of ['create', 'list', 'pause', 'resume', 'delete', 'trigger']) {
    const help = await dcp(['schedule', sub, '--help']);
    expect(help).toMatchObject({ code: 0, stdout: expect.stringContaining(`Usage: dcp schedule ${sub}`) });
  }
}, 60_000);
