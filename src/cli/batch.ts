/**
 * `dcp batch`: start (or attach to) a batch acquisition and follow it; `dcp batch status|cancel ID`. With
 * `--aoi FILE` the batch buys coverage of an area (`--dry-run` prints the plan and buys nothing).
 */
import { mkdirSync } from 'node:fs';
import { SingleBar } from 'cli-progress';
import { followBatch, startBatch, type BatchHandle } from '../workflow-client/batch-client';
import { batchCancelSignal, progressQuery } from '../shared/batch-messages';
import type { BatchProgress } from '../shared/batch-types';
import type { BatchOptions, ReadBatchInput } from './batch-input';
import { printWithNotifications } from './notification-report';
import { withContext } from './context';
import { describeAs } from './workflow-kind';
import { noteIfNoWorker } from './worker-wait';
import { note, printJson, writeFilesWhole } from './output';
import { followingStarted } from './following';
import type { Aoi } from '../coverage/aoi';
import { CliError, ExitCode } from '../shared/errors';
import {
  batchFailure,
  doneCount,
  formatBatchResult,
  loadBatchReport,
  progressLine,
  reportJson,
  reportFiles,
  type BatchReport,
} from './batch-report';

export async function batchStatus(id: string, json: boolean): Promise<void> {
  await withContext(async (ctx) => {
    const client = await ctx.temporal();
    await describeAs(client, id, 'batch');
    const progress = await client.workflow.getHandle(id).query(progressQuery);
    const note = progress.ownershipUnknown ? [`  note: ${progress.ownershipUnknown}`] : [];
    // Its own notifications and its purchases' (`BATCH/n`) share the prefix.
    await printWithNotifications(client, id, json, progress, [progressLine(progress), ...note].join('\n'));
  });
}

export async function cancelBatchWorkflow(id: string, reason: string | undefined): Promise<void> {
  await withContext(async (ctx) => {
    const client = await ctx.temporal();
    const { status } = await describeAs(client, id, 'batch');
    if (status.name !== 'RUNNING') throw new CliError(`batch ${id} has already ended (${status.name})`, ExitCode.USAGE);
    await client.workflow.getHandle(id).signal(batchCancelSignal, reason);
    process.stderr.write(`cancel requested for batch ${id}\n`);
  });
}

/** Starts (or attaches to) the batch whose input `batchInput` read and checked from the same options. */
export async function runBatchCommand(options: BatchOptions, { input, aoi }: ReadBatchInput): Promise<number> {
  return withContext(async (ctx) => {
    const client = await ctx.temporal();
    const { handle, origin } = await startBatch(client, ctx.scope, input);
    if (!options.json) {
      const how = { started: 'started', running: 'attached to running', finished: 'reporting finished' }[origin];
      process.stderr.write(`${how} batch ${input.batchId}\n`);
    }
    const id = input.batchId;
    const see = `dcp batch status ${id}; --batch-id ${id} follows it again`;
    const finish = async (): Promise<number> => {
      if (origin !== 'finished') await noteIfNoWorker(client, ctx.settings.temporal.taskQueue, 'the batch');
      if (!options.wait && origin !== 'finished') {
        if (options.json) printJson({ batchId: id, origin });
        else process.stdout.write(`${id}\n`);
        return ExitCode.OK;
      }
      const report = await loadBatchReport(client, await follow(handle, options.json));
      if (options.json) printJson({ ...reportJson(report), origin });
      else if (options.dryRun) process.stdout.write(`${coverageReport().formatCoveragePlan(report)}\n`);
      else process.stdout.write(`${formatBatchResult(report)}\n`);
      const unwritten =
        options.report === undefined ? null : writeAllReports(options.report, report, aoi, options.json);
      const failure = batchFailure(report);
      if (failure) {
        if (unwritten) note(unwritten);
        throw new CliError(failure.message, failure.code);
      }
      if (unwritten) throw new CliError(unwritten, ExitCode.FAILURE);
      return ExitCode.OK;
    };
    return origin === 'finished' ? finish() : followingStarted(`batch ${id}`, see, finish);
  });
}

/** Writes the report files after the result is printed, all or none; what kept them from being written, or null. */
function writeAllReports(dir: string, report: BatchReport, aoi: Aoi | undefined, json: boolean): string | null {
  try {
    const files = [...reportFiles(dir, report), ...(aoi ? coverageReport().coverageReportFiles(dir, aoi, report) : [])];
    mkdirSync(dir, { recursive: true });
    writeFilesWhole(files);
    if (!json) process.stderr.write(`report: ${files.map((f) => f.file).join(', ')}\n`);
    return null;
  } catch (err) {
    return `the report was not written to ${dir}: ${(err as Error).message}`;
  }
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

/** The coverage plan's text and files: their geometry and map code load only when a batch reports on them. */
function coverageReport(): typeof import('./coverage-report') {
  return require('./coverage-report') as typeof import('./coverage-report');
}
