/**
 * `dcp batch`'s input, read from its flags and files and checked before anything connects to Temporal: a bad input
 * is refused at once, with its usage exit code.
 */
import { randomUUID } from 'node:crypto';
import { accessSync, constants, mkdirSync } from 'node:fs';
import type { Aoi } from '../coverage/aoi';
import type { BatchInput } from '../shared/batch-types';
import { batchInputProblems } from '../shared/batch-validation';
import { CliError, ExitCode } from '../shared/errors';
import { coverageRequest } from './aoi-request';
import type { AoiOptions } from './aoi-options';
import { batchShape, type BatchShapeOptions } from './batch-options';
import { ItemFileError, readItemFile, readSearchFile } from './item-files';

export interface BatchOptions extends BatchShapeOptions, AoiOptions {
  search?: string;
  items?: string;
  dryRun?: boolean;
  budget: string;
  batchId?: string;
  report?: string;
  wait: boolean;
  json: boolean;
}

export interface ReadBatchInput {
  input: BatchInput;
  /** The area of interest of a coverage batch. */
  aoi?: Aoi;
}

/** The batch input from the flags, and the area of interest of a coverage batch. */
export function batchInput(options: BatchOptions): ReadBatchInput {
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
    if (options.report !== undefined) checkReportDir(options.report);
    return { input, aoi: coverage?.aoi };
  } catch (err) {
    if (err instanceof ItemFileError) throw new CliError(err.message, ExitCode.USAGE);
    throw err;
  }
}

/**
 * The report directory, made once the batch is known good and checked writable: found out after the batch has spent,
 * the report is lost.
 */
function checkReportDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new CliError(`--report ${dir}: not a directory this command can write to (${reason})`, ExitCode.USAGE);
  }
}
