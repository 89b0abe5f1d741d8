/**
 * Recurring batch acquisition as Temporal Schedules: each period the schedule starts a batch over the search window
 * since the previous period (see `startScheduledRun` in src/workflows/batch.ts); de-duplication makes each run buy
 * only new items. Overlapping runs are skipped, not stacked. Shared by `dcp schedule` and tests.
 */
import { ScheduleOverlapPolicy, type Client, type ScheduleHandle, type ScheduleSummary } from '@temporalio/client';
import type { BatchInput } from '../shared/batch-types';
import { WORKFLOW_TYPE } from '../shared/workflow-types';
import { OrganisationIdKey } from '../shared/search-attributes';
import type { batchPurchaseWorkflow } from '../workflows/batch';
import { storeLargeInput } from './batch-client';

export interface BatchScheduleOptions {
  scheduleId: string;
  taskQueue: string;
  organisationId: number;
  /** The period between runs. */
  everyMs: number;
  /** How far back each run searches (default everyMs); longer covers the windows of skipped runs. */
  windowMs?: number;
  /** The batch each run starts: a search without datetime, and the budget of one run. */
  batch: Omit<BatchInput, 'batchId' | 'schedule' | 'carried'>;
}

/** What `dcp schedule list` shows of a batch schedule. */
export interface BatchScheduleSummary {
  scheduleId: string;
  paused: boolean;
  note: string | null;
  everyMs: number | null;
  windowMs: number | null;
  budgetPerRun: string | null;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastBatchId: string | null;
  /** The task queue of its runs: the DataCosmos target they buy on. */
  taskQueue: string | null;
}

/** Kept in the schedule's memo, since a schedule listing does not carry the action's arguments. */
interface ScheduleMemo {
  windowMs: number;
  budgetPerRun: string;
  taskQueue: string;
}

/** The batch input each run of a schedule starts with (the workflow makes the id and window its own). */
export function scheduledBatchInput(
  options: Pick<BatchScheduleOptions, 'scheduleId' | 'everyMs' | 'windowMs' | 'batch'>,
): BatchInput {
  return { ...options.batch, batchId: options.scheduleId, schedule: { windowMs: options.windowMs ?? options.everyMs } };
}

/** A large search or area is stored in pages the schedule owns (kept while the schedule exists). */
export async function createBatchSchedule(client: Client, options: BatchScheduleOptions): Promise<ScheduleHandle> {
  const owner = { kind: 'schedule' as const, id: options.scheduleId };
  const batch = await storeLargeInput(client, options.taskQueue, owner, options.batch);
  const input = scheduledBatchInput({ ...options, batch });
  const memo: ScheduleMemo = {
    windowMs: options.windowMs ?? options.everyMs,
    budgetPerRun: input.budget,
    taskQueue: options.taskQueue,
  };
  return client.schedule.create<typeof batchPurchaseWorkflow>({
    scheduleId: options.scheduleId,
    spec: { intervals: [{ every: options.everyMs }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP },
    memo: { ...memo },
    action: {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPE.batch,
      // The schedule appends the scheduled time to this id, so every run is a batch of its own.
      workflowId: options.scheduleId,
      taskQueue: options.taskQueue,
      args: [input],
      typedSearchAttributes: [{ key: OrganisationIdKey, value: String(options.organisationId) }],
    },
  });
}

/** Schedules that start batches (others in the namespace are left out), on this task queue only when one is given. */
export async function listBatchSchedules(client: Client, taskQueue?: string): Promise<BatchScheduleSummary[]> {
  const found: BatchScheduleSummary[] = [];
  for await (const schedule of client.schedule.list()) {
    if (schedule.action?.workflowType !== WORKFLOW_TYPE.batch) continue;
    const summary = summarise(schedule);
    if (taskQueue === undefined || summary.taskQueue === taskQueue) found.push(summary);
  }
  return found.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** Runs the schedule's action now; under the schedule's policy, so it is skipped while a run is in flight. */
export function triggerBatchSchedule(handle: ScheduleHandle): Promise<void> {
  return handle.trigger(ScheduleOverlapPolicy.SKIP);
}

function summarise(schedule: ScheduleSummary): BatchScheduleSummary {
  const memo = (schedule.memo ?? {}) as Partial<ScheduleMemo>;
  const last = schedule.info.recentActions.at(-1);
  return {
    scheduleId: schedule.scheduleId,
    paused: schedule.state.paused,
    note: schedule.state.note ?? null,
    everyMs: schedule.spec?.intervals?.[0]?.every ?? null,
    windowMs: memo.windowMs ?? null,
    budgetPerRun: memo.budgetPerRun ?? null,
    nextRunAt: schedule.info.nextActionTimes[0]?.toISOString() ?? null,
    lastRunAt: last?.scheduledAt.toISOString() ?? null,
    lastBatchId: last?.action.workflow.workflowId ?? null,
    taskQueue: memo.taskQueue ?? null,
  };
}
