/**
 * The options of a batch over an area of interest (`--aoi FILE` with its filters and choices), shared by
 * `dcp batch` and `dcp schedule create`: parsing, the AOI file, and the batch's coverage request.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { AoiError, parseAoi, type Aoi } from '../coverage/aoi';
import { DEFAULT_MIN_COVERAGE_PCT } from '../coverage/plan';
import { PREFERENCES, type CoverageRequest, type Preference } from '../shared/coverage-types';
import { CliError, ExitCode } from '../shared/errors';
import { parseDatetime } from './catalog';
import { parser } from './context';

export interface AoiOptions {
  aoi?: string;
  collection?: string[];
  datetime?: string;
  cloudLt?: number;
  level?: string;
  minCoverage?: number;
  prefer?: Preference;
  clip?: boolean;
  projectId?: string;
}

/** Adds the options; `datetime: false` for schedules, whose runs each search their own window. */
export function addAoiOptions(command: Command, { datetime }: { datetime: boolean }): Command {
  command
    .option('--aoi <file>', 'buy coverage of this area (GeoJSON Polygon or MultiPolygon, Feature or FeatureCollection)')
    .option('--collection <id>', 'with --aoi: only this collection (repeatable)', (id: string, ids: string[] = []) => [
      ...ids,
      id,
    ]);
  if (datetime) command.option('--datetime <range>', 'with --aoi: RFC 3339 instant or interval', parser(parseDatetime));
  return command
    .option('--cloud-lt <percent>', 'with --aoi: only scenes with eo:cloud_cover below this', parser(percent))
    .option('--level <level>', 'with --aoi: only scenes of this processing level, e.g. L1C')
    .option(
      '--min-coverage <percent>',
      `with --aoi: stop once this share of the area is covered (default ${DEFAULT_MIN_COVERAGE_PCT})`,
      parser(coveragePercent),
    )
    .addOption(
      new Option('--prefer <what>', 'with --aoi: what to favour besides price (default cheapest)').choices(PREFERENCES),
    )
    .option('--clip', 'with --aoi: buy only the part of each scene the area needs (default)')
    .option('--no-clip', 'with --aoi: buy whole scenes')
    .option('--project-id <id>', 'with --aoi: project of the clipped line items (default: the batch id)');
}

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
  try {
    return parseAoi(text, path.basename(file));
  } catch (err) {
    if (err instanceof AoiError) throw new CliError(err.message, ExitCode.USAGE);
    throw err;
  }
}

function percent(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !(value >= 0 && value <= 100))
    throw new RangeError(`"${text}" is not a percentage from 0 to 100`);
  return value;
}

function coveragePercent(text: string): number {
  const value = percent(text);
  if (value === 0) throw new RangeError('a coverage of 0 % buys nothing: give a percentage above 0');
  return value;
}
