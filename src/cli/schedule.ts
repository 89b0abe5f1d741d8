/**
 * `dcp schedule`: recurring batch acquisition over a search or an area of interest (create, list, pause, resume,
 * delete, trigger).
 */
import { randomUUID } from 'node:crypto';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type ScheduleHandle } from '@temporalio/client';
import { Command } from 'commander';
import {
  createBatchSchedule,
  listBatchSchedules,
  scheduledBatchInput,
  triggerBatchSchedule,
  type BatchScheduleOptions,
  type BatchScheduleSummary,
} from '../workflow-client/schedule-client';
import { batchInputProblems } from '../shared/batch-validation';
import { addAoiOptions, coverageRequest, type AoiOptions } from './aoi-options';
import { addBatchShapeOptions, batchShape, type BatchShapeOptions } from './batch-options';
import { amount } from './buy';
import { formatTable, parser, printJson, withContext, type CommandContext } from './context';
import { formatDuration, parseDuration } from '../shared/duration';
import { CliError, ExitCode } from '../shared/errors';
import { ItemFileError, readSearchFile } from './item-files';

interface CreateOptions extends BatchShapeOptions, AoiOptions {
  search?: string;
  every: number;
  window?: number;
  budgetPerRun: string;
  scheduleId?: string;
}

export function registerScheduleCommands(program: Command): void {
  const schedule = program
    .command('schedule')
    .description('recurring batch acquisition: a batch over the newest window of a search every period');
  const create = schedule
    .command('create')
    .description('make a schedule that starts a batch each period for the window since the last run')
    .option('--search <file>', 'a JSON search without datetime: collections, bbox or intersects, query, maxItems')
    .requiredOption(
      '--every <duration>',
      'the period between runs, like 6h or 1d',
      parser((t) => parseDuration(t, '--every')),
    )
    .requiredOption('--budget-per-run <amount>', 'the most one run may spend, in the contract currency', parser(amount))
    .option(
      '--window <duration>',
      'how far back each run searches (default: --every); longer also covers runs that were skipped',
      parser((t) => parseDuration(t, '--window')),
    );
  addAoiOptions(create, { datetime: false });
  addBatchShapeOptions(create)
    .option('--schedule-id <id>', 'schedule id (default: a new one); each run is the batch ID-<scheduled time>')
    .action(async (options: CreateOptions) => {
      const request = scheduleRequest(options);
      await withContext(async (ctx) => {
        await createBatchSchedule(await ctx.temporal(), {
          ...request,
          taskQueue: ctx.settings.temporal.taskQueue,
          organisationId: ctx.settings.datacosmos.organisationId,
        }).catch((err: unknown) => {
          if (err instanceof ScheduleAlreadyRunning)
            throw new CliError(`schedule ${request.scheduleId} exists already`, ExitCode.USAGE);
          throw err;
        });
        process.stdout.write(`${request.scheduleId}\n`);
      });
    });
  schedule
    .command('list')
    .description('batch schedules: state, period, window, budget per run, next and last run')
    .option('--json', 'print as JSON', false)
    .action(async (options: { json: boolean }) => {
      await withContext(async (ctx) => {
        const schedules = await listBatchSchedules(await ctx.temporal());
        if (options.json) printJson(schedules);
        else process.stdout.write(`${formatSchedules(schedules)}\n`);
      });
    });
  const control: Array<[string, string, (handle: ScheduleHandle) => Promise<void>, string]> = [
    ['pause', 'stop starting runs until resumed', (h) => h.pause('paused with dcp'), 'paused'],
    ['resume', 'start runs again', (h) => h.unpause('resumed with dcp'), 'resumed'],
    ['delete', 'delete the schedule (runs already started go on)', (h) => h.delete(), 'deleted'],
    ['trigger', 'start a run now (skipped while a run is in flight)', triggerBatchSchedule, 'triggered'],
  ];
  for (const [name, description, act, done] of control) {
    schedule
      .command(`${name} <id>`)
      .description(description)
      .action(async (id: string) => {
        await withContext((ctx) => onSchedule(ctx, id, act));
        process.stderr.write(`schedule ${id} ${done}\n`);
      });
  }
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
