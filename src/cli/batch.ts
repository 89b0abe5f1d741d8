/**
 * `dcp batch`: start (or attach to) a batch acquisition and follow it; `dcp batch status|cancel ID`. With
 * `--aoi FILE` the batch buys coverage of an area (`--dry-run` prints the plan and buys nothing).
 */
import { randomUUID } from 'node:crypto';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { followBatch, startBatch, type BatchHandle } from '../workflow-client/batch-client';
import { batchCancelSignal, progressQuery } from '../shared/batch-messages';
import type { BatchInput, BatchProgress } from '../shared/batch-types';
import { batchInputProblems } from '../shared/batch-validation';
import type { Aoi } from '../coverage/aoi';
import { addAoiOptions, coverageRequest, type AoiOptions } from './aoi-options';
import { addBatchShapeOptions, batchShape, type BatchShapeOptions } from './batch-options';
import { amount } from './buy';
import { parser, printJson, withContext } from './context';
import { CliError, ExitCode } from '../shared/errors';
import { ItemFileError, readItemFile, readSearchFile } from './item-files';
import { batchExitCode, doneCount, formatBatchResult, progressLine, reportJson, writeReports } from './batch-report';
import { formatCoveragePlan, writeCoverageReports } from './coverage-report';

interface BatchOptions extends BatchShapeOptions, AoiOptions {
  search?: string;
  items?: string;
  dryRun?: boolean;
  budget: string;
  batchId?: string;
  report?: string;
  wait: boolean;
  json: boolean;
}

export function registerBatchCommands(program: Command): void {
  const batch = program
    .command('batch')
    .description('buy every item of a search or an item file once, within a budget, with a per-item report')
    .option('--search <file>', 'a JSON search: collections, bbox or intersects, datetime, query, maxItems')
    .option('--items <file>', 'an item list: .json, .csv (collection,item[,level]) or .ndjson')
    .option('--budget <amount>', 'the most the whole batch may spend, in the contract currency', parser(amount));
  addAoiOptions(batch, { datetime: true }).option('--dry-run', 'with --aoi: print the plan and buy nothing');
  addBatchShapeOptions(batch)
    .option('--batch-id <id>', 'batch id (default: a new one); the same id attaches to that batch')
    .option(
      '--report <dir>',
      'write the final report as DIR/BATCH.json and DIR/BATCH.csv (with --aoi also DIR/coverage.svg and .geojson)',
    )
    .option('--wait', 'follow the batch to its end (default)', true)
    .option('--no-wait', 'start and return at once')
    .option('--json', 'print the result as JSON', false)
    .action(async (options: BatchOptions) => {
      process.exitCode = await runBatchCommand(options);
    });
  batch
    .command('status <id>')
    .description('progress of a batch: counts by outcome, spend against budget, in flight')
    .option('--json', 'print as JSON', false)
    .action(async (id: string, options: { json: boolean }) => {
      await withContext(async (ctx) => {
        const progress = await (await ctx.temporal()).workflow.getHandle(id).query(progressQuery);
        // --json also parses as the parent command's option.
        if (options.json || batch.opts().json) printJson(progress);
        else process.stdout.write(`${progressLine(progress)}\n`);
      });
    });
  batch
    .command('cancel <id>')
    .description('stop starting purchases; running ones are asked to end cleanly')
    .option('--reason <text>', 'why')
    .action(async (id: string, options: { reason?: string }) => {
      await withContext(async (ctx) => {
        await (await ctx.temporal()).workflow.getHandle(id).signal(batchCancelSignal, options.reason);
        process.stderr.write(`cancel requested for batch ${id}\n`);
      });
    });
}

/** The batch input from the flags, and the area of interest of a coverage batch. */
function batchInput(options: BatchOptions): { input: BatchInput; aoi?: Aoi } {
  if (!options.budget) throw new CliError('--budget is required', ExitCode.USAGE);
  if ([options.search, options.items, options.aoi].filter((file) => file !== undefined).length !== 1) {
    throw new CliError('give exactly one of --search FILE, --items FILE or --aoi FILE', ExitCode.USAGE);
  }
  if (options.dryRun && !options.aoi) throw new CliError('--dry-run needs --aoi FILE', ExitCode.USAGE);
  const coverage = coverageRequest(options);
  try {
    const input: BatchInput = {
      batchId: options.batchId ?? `batch-${randomUUID()}`,
      ...(coverage
        ? { coverage: { ...coverage.request, ...(options.dryRun ? { dryRun: true } : {}) } }
        : options.search
          ? { search: readSearchFile(options.search) }
          : { items: readItemFile(options.items as string) }),
      budget: options.budget,
      ...batchShape(options),
    };
    const problems = batchInputProblems(input);
    if (problems.length > 0) throw new CliError(`invalid batch: ${problems.join('; ')}`, ExitCode.USAGE);
    return { input, aoi: coverage?.aoi };
  } catch (err) {
    if (err instanceof ItemFileError) throw new CliError(err.message, ExitCode.USAGE);
    throw err;
  }
}

async function runBatchCommand(options: BatchOptions): Promise<number> {
  const { input, aoi } = batchInput(options);
  return withContext(async (ctx) => {
    const organisationId = ctx.settings.datacosmos.organisationId;
    const client = await ctx.temporal();
    const { handle, origin } = await startBatch(
      client,
      { taskQueue: ctx.settings.temporal.taskQueue, organisationId },
      input,
    );
    if (!options.json) {
      const note = { started: 'started', running: 'attached to running', finished: 'reporting finished' }[origin];
      process.stderr.write(`${note} batch ${input.batchId}\n`);
    }
    if (!options.wait && origin !== 'finished') {
      if (options.json) printJson({ batchId: input.batchId, origin });
      else process.stdout.write(`${input.batchId}\n`);
      return ExitCode.OK;
    }
    const result = await follow(handle, options.json);
    if (options.report) {
      const files = writeReports(options.report, result);
      if (aoi) files.push(...writeCoverageReports(options.report, aoi, result));
      if (!options.json) process.stderr.write(`report: ${files.join(', ')}\n`);
    }
    if (options.json) printJson(reportJson(result));
    else process.stdout.write(`${options.dryRun ? formatCoveragePlan(result) : formatBatchResult(result)}\n`);
    return batchExitCode(result);
  });
}

/** A progress bar on a terminal, a line per change otherwise, nothing with --json. */
async function follow(handle: BatchHandle, json: boolean) {
  if (json) return followBatch(handle, () => undefined);
  if (!process.stderr.isTTY) {
    let last = '';
    return followBatch(handle, (p) => {
      const line = progressLine(p);
      if (line !== last) process.stderr.write(`${line}\n`);
      last = line;
    });
  }
  const bar = new SingleBar({
    stream: process.stderr,
    format:
      '{bar} {value}/{total} items | spent {spent}/{budget} {currency} | in flight {inFlight} | ETA {eta_formatted}',
    etaBuffer: 50,
  });
  bar.start(1, 0, { spent: '0', budget: '', currency: '', inFlight: 0 });
  const onProgress = (p: BatchProgress) => {
    bar.setTotal(Math.max(p.examined, 1));
    bar.update(doneCount(p), { spent: p.spent, budget: p.budget, currency: p.currency ?? '', inFlight: p.inFlight });
  };
  try {
    return await followBatch(handle, onProgress);
  } finally {
    bar.stop();
  }
}
