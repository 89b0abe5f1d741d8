/**
 * The options of a batch over an area of interest (`--aoi FILE` with its filters and choices), shared by
 * `dcp batch` and `dcp schedule create`: their definitions and parsers only (the area itself is read in
 * aoi-request.ts, when the command runs).
 */
import { Option, type Command } from 'commander';
import { DEFAULT_MIN_COVERAGE_PCT, PREFERENCES, type Preference } from '../shared/coverage-types';
import { datetime, decimalNumber, filePath, id, parser, repeatable } from './options';

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
export function addAoiOptions(command: Command, { datetime: withDatetime }: { datetime: boolean }): Command {
  command
    .option(
      '--aoi <file>',
      'buy coverage of this area (GeoJSON Polygon or MultiPolygon, Feature or FeatureCollection)',
      filePath,
    )
    .option('--collection <id>', 'with --aoi: only this collection (repeatable)', repeatable(id));
  if (withDatetime) command.option('--datetime <range>', 'with --aoi: RFC 3339 instant or interval', datetime);
  return command
    .option('--cloud-lt <percent>', 'with --aoi: only scenes with eo:cloud_cover below this', decimalNumber(0, 100))
    .option('--level <level>', 'with --aoi: only scenes of this processing level, e.g. L1C', id)
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
    .option('--project-id <id>', 'with --aoi: project of the clipped line items (default: the batch id)', id);
}

const percent = decimalNumber(0, 100);

function coveragePercent(text: string): number {
  const value = percent(text);
  if (value === 0) throw new RangeError('a coverage of 0 % buys nothing: give a percentage above 0');
  return value;
}
