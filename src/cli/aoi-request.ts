/** The coverage request of a batch over an area of interest: the AOI file read and checked, when a command runs. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Aoi } from '../coverage/aoi';
import type { CoverageRequest } from '../shared/coverage-types';
import { CliError, ExitCode } from '../shared/errors';
import type { AoiOptions } from './aoi-options';

/**
 * The coverage request the options describe, with the area read, or undefined without --aoi; a bad AOI file
 * is a usage error.
 */
export function coverageRequest(options: AoiOptions): { request: CoverageRequest; aoi: Aoi } | undefined {
  if (options.aoi === undefined) {
    const stray = AOI_ONLY.find(([key]) => options[key] !== undefined);
    if (stray) throw new CliError(`${stray[1]} needs --aoi FILE`, ExitCode.USAGE);
    return undefined;
  }
  const aoi = readAoiFile(options.aoi);
  const request: CoverageRequest = {
    aoi: aoi.geometry,
    ...(options.collection ? { collections: options.collection } : {}),
    ...(options.datetime ? { datetime: options.datetime } : {}),
    ...(options.cloudLt !== undefined ? { cloudLt: options.cloudLt } : {}),
    ...(options.level ? { level: options.level } : {}),
    ...(options.minCoverage !== undefined ? { minCoveragePct: options.minCoverage } : {}),
    ...(options.prefer ? { prefer: options.prefer } : {}),
    ...(options.clip === false ? { clip: false } : {}),
    ...(options.projectId ? { projectId: options.projectId } : {}),
  };
  return { request, aoi };
}

const AOI_ONLY: ReadonlyArray<[keyof AoiOptions, string]> = [
  ['collection', '--collection'],
  ['datetime', '--datetime'],
  ['cloudLt', '--cloud-lt'],
  ['level', '--level'],
  ['minCoverage', '--min-coverage'],
  ['prefer', '--prefer'],
  ['clip', '--clip/--no-clip'],
  ['projectId', '--project-id'],
];

/** The area of interest in a GeoJSON file; its problems are usage errors of one line naming the file. */
export function readAoiFile(file: string): Aoi {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      ExitCode.USAGE,
    );
  }
  // The geometry libraries load only when a command is given an area (about 40 ms of CPU a run otherwise).
  const { AoiError, parseAoi } = require('../coverage/aoi') as typeof import('../coverage/aoi');
  try {
    return parseAoi(text, path.basename(file));
  } catch (err) {
    if (err instanceof AoiError) throw new CliError(err.message, ExitCode.USAGE);
    throw err;
  }
}
