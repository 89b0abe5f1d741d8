/** `dcp batch` (status, cancel) and `dcp schedule`: definitions only; the work is loaded when a command runs. */
import type { Command } from 'commander';
import type { BatchOptions } from '../batch-input';
import { addAoiOptions } from '../aoi-options';
import { addBatchShapeOptions } from '../batch-options';
import { addFollowOptions } from '../command-options';
import { amount, duration, filePath, freeText, id } from '../options';
import { lazyAction } from './lazy-action';
import type { ScheduleAction } from '../schedule';

export function registerBatchCommands(program: Command): void {
  const batch = program
    .command('batch')
    .description('buy every item of a search or an item file once, within a budget, with a per-item report')
    .option('--search <file>', 'a JSON search: collections, bbox or intersects, datetime, query, maxItems', filePath)
    .option('--items <file>', 'an item list: .json, .csv (collection,item[,level]) or .ndjson', filePath)
    .option('--budget <amount>', 'the most the whole batch may spend, in the contract currency', amount);
  addAoiOptions(batch, { datetime: true }).option('--dry-run', 'with --aoi: print the plan and buy nothing');
  addBatchShapeOptions(batch)
    .option('--batch-id <id>', 'batch id (default: a new one); the same id attaches to that batch', id)
    .option(
      '--report <dir>',
      'write the final report as DIR/BATCH.json and DIR/BATCH.csv (with --aoi also DIR/coverage.svg and .geojson)',
      filePath,
    );
  addFollowOptions(batch, 'batch').action(async (options: BatchOptions) => {
    // The input is read and checked first: a bad one is refused without loading the Temporal client.
    const { batchInput } = await import('../batch-input');
    const read = batchInput(options);
    const { runBatchCommand } = await import('../batch');
    process.exitCode = await runBatchCommand(options, read);
  });
  batch
    .command('status')
    .argument('<id>', 'the batch id', id)
    .description('progress of a batch: counts by outcome, spend against budget, in flight')
    .option('--json', 'print as JSON', false)
    .action(async (batchId: string, options: { json: boolean }) => {
      const { batchStatus } = await import('../batch');
      // --json also parses as the parent command's option.
      await batchStatus(batchId, options.json || batch.opts().json);
    });
  batch
    .command('cancel')
    .argument('<id>', 'the batch id', id)
    .description('stop starting purchases; running ones are asked to end cleanly')
    .option('--reason <text>', 'why', freeText)
    .action(async (batchId: string, options: { reason?: string }) => {
      const { cancelBatchWorkflow } = await import('../batch');
      await cancelBatchWorkflow(batchId, options.reason);
    });
}

export function registerScheduleCommands(program: Command): void {
  const schedule = program
    .command('schedule')
    .description('recurring batch acquisition: a batch over the newest window of a search every period');
  const create = schedule
    .command('create')
    .description('make a schedule that starts a batch each period for the window since the last run')
    .option(
      '--search <file>',
      'a JSON search without datetime: collections, bbox or intersects, query, maxItems',
      filePath,
    )
    .requiredOption('--every <duration>', 'the period between runs, like 6h or 1d', duration)
    .requiredOption('--budget-per-run <amount>', 'the most one run may spend, in the contract currency', amount)
    .option(
      '--window <duration>',
      'how far back each run searches (default: --every); longer also covers runs that were skipped',
      duration,
    );
  addAoiOptions(create, { datetime: false });
  addBatchShapeOptions(create)
    .option('--schedule-id <id>', 'schedule id (default: a new one); each run is the batch ID-<scheduled time>', id)
    .action(lazyAction(async () => (await import('../schedule')).createSchedule));
  schedule
    .command('list')
    .description('batch schedules of this DataCosmos target: state, period, window, budget per run, next and last run')
    .option('--all-targets', 'schedules of every DataCosmos target on this Temporal namespace', false)
    .option('--json', 'print as JSON', false)
    .action(lazyAction(async () => (await import('../schedule')).listSchedules));
  const control: Array<[ScheduleAction, string]> = [
    ['pause', 'stop starting runs until resumed'],
    ['resume', 'start runs again'],
    ['delete', 'delete the schedule (runs already started go on)'],
    ['trigger', 'start a run now (skipped while a run is in flight)'],
  ];
  for (const [name, description] of control) {
    schedule
      .command(name)
      .argument('<id>', 'the schedule id', id)
      .description(description)
      .action(async (scheduleId: string) => {
        const { controlSchedule } = await import('../schedule');
        await controlSchedule(name, scheduleId);
      });
  }
}
