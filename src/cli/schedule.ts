/**
 * `dcp schedule`: recurring batch acquisition over a search or an area of interest (create, list, pause, resume,
 * delete, trigger).
 */
import { randomUUID } from 'node:crypto';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type ScheduleHandle } from '@temporalio/client';
import {
  createBatchSchedule,
  listBatchSchedules,
  scheduledBatchInput,
  triggerBatchSchedule,
  type BatchScheduleOptions,
  type BatchScheduleSummary,
} from '../workflow-client/schedule-client';
import { batchInputProblems } from '../shared/batch-validation';
import { coverageRequest } from './aoi-request';
import type { AoiOptions } from './aoi-options';
import { batchShape, type BatchShapeOptions } from './batch-options';
import { withContext, type CommandContext } from './context';
import { noteIfNoWorker } from './worker-wait';
import { formatTable, printJson } from './output';
import { formatDuration } from '../shared/duration';
import { CliError, ExitCode } from '../shared/errors';
import { ItemFileError, readSearchFile } from './item-files';

export type ScheduleAction = 'pause' | 'resume' | 'delete' | 'trigger';

export interface CreateOptions extends BatchShapeOptions, AoiOptions {
  search?: string;
  every: number;
  window?: number;
  budgetPerRun: string;
  scheduleId?: string;
}

export async function createSchedule(options: CreateOptions): Promise<void> {
  const request = scheduleRequest(options);
  await withContext(async (ctx) => {
    const client = await ctx.temporal();
    await createBatchSchedule(client, {
      ...request,
      ...ctx.scope,
    }).catch((err: unknown) => {
      if (err instanceof ScheduleAlreadyRunning)
        throw new CliError(`schedule ${request.scheduleId} exists already`, ExitCode.USAGE);
      throw err;
    });
    process.stdout.write(`${request.scheduleId}\n`);
    await noteIfNoWorker(client, ctx.settings.temporal.taskQueue, 'each run');
  });
}

export async function listSchedules(options: { json: boolean; allTargets: boolean }): Promise<void> {
  const { json } = options;
  await withContext(async (ctx) => {
    const taskQueue = options.allTargets ? undefined : ctx.settings.temporal.taskQueue;
    const schedules = await listBatchSchedules(await ctx.temporal(), taskQueue);
    if (json) printJson(schedules);
    else process.stdout.write(`${formatSchedules(schedules)}\n`);
  });
}

const CONTROL: Record<ScheduleAction, [(handle: ScheduleHandle) => Promise<void>, string]> = {
  pause: [(h) => h.pause('paused with dcp'), 'paused'],
  resume: [(h) => h.unpause('resumed with dcp'), 'resumed'],
  delete: [(h) => h.delete(), 'deleted'],
  trigger: [triggerBatchSchedule, 'triggered'],
};

export async function controlSchedule(action: ScheduleAction, id: string): Promise<void> {
  const [act, done] = CONTROL[action];
  await withContext((ctx) => onSchedule(ctx, id, act));
  process.stderr.write(`schedule ${id} ${done}\n`);
}

/** The schedule request from the flags, checked like a batch before anything is sent (exit 2 on a problem). */
function scheduleRequest(options: CreateOptions): Omit<BatchScheduleOptions, 'taskQueue' | 'organisationId'> {
  if ((options.search === undefined) === (options.aoi === undefined))
    throw new CliError('give exactly one of --search FILE or --aoi FILE', ExitCode.USAGE);
  const coverage = coverageRequest(options);
  let search;
  try {
    search = options.search === undefined ? undefined : readSearchFile(options.search);
  } catch (err) {
    if (err instanceof ItemFileError) throw new CliError(err.message, ExitCode.USAGE);
    throw err;
  }
  const request = {
    scheduleId: options.scheduleId ?? `schedule-${randomUUID()}`,
    everyMs: options.every,
    ...(options.window ? { windowMs: options.window } : {}),
    batch: {
      ...(search ? { search } : {}),
      ...(coverage ? { coverage: coverage.request } : {}),
      budget: options.budgetPerRun,
      ...batchShape(options),
    },
  };
  const problems = batchInputProblems(scheduledBatchInput(request));
  if (problems.length > 0) throw new CliError(`invalid schedule: ${problems.join('; ')}`, ExitCode.USAGE);
  return request;
}

async function onSchedule(ctx: CommandContext, id: string, act: (handle: ScheduleHandle) => Promise<void>) {
  try {
    await act((await ctx.temporal()).schedule.getHandle(id));
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) throw new CliError(`no schedule with id ${id}`, ExitCode.USAGE);
    throw err;
  }
}

function formatSchedules(schedules: BatchScheduleSummary[]): string {
  if (schedules.length === 0) return 'no batch schedules';
  const ms = (value: number | null) => (value === null ? '-' : formatDuration(value));
  return formatTable(
    ['ID', 'STATE', 'EVERY', 'WINDOW', 'BUDGET/RUN', 'NEXT RUN', 'LAST BATCH'],
    schedules.map((s) => [
      s.scheduleId,
      s.paused ? 'paused' : 'active',
      ms(s.everyMs),
      ms(s.windowMs),
      s.budgetPerRun ?? '-',
      s.nextRunAt ?? '-',
      s.lastBatchId ?? '-',
    ]),
  );
}
