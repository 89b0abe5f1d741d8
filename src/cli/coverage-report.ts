/**
 * How coverage batches are shown beyond the batch report: the plan of a dry run, and `--report DIR`'s map
 * (DIR/coverage.svg) and GeoJSON (DIR/coverage.geojson) of the coverage reached (of the plan, for a dry run).
 */
import path from 'node:path';
import type { Aoi } from '../coverage/aoi';
import { reachedPlan } from '../coverage/reached';
import { coverageFigures, formatKm2 } from '../coverage/report-figures';
import { coverageGeoJson } from '../coverage/report-geojson';
import { coverageSvg } from '../coverage/report-svg';
import { coveringPicks } from '../shared/coverage-plan';
import type { CoveragePickRecord } from '../shared/coverage-types';
import type { BatchReport } from './batch-report';

const MAX_LISTED_PICKS = 50;

/** The plan of a dry run: its figures, where it chose from, and every pick in the order chosen. */
export function formatCoveragePlan({ result: r, picks }: BatchReport): string {
  const record = r.coveragePlan;
  if (!record || !picks) return `batch ${r.batchId}: no coverage plan`;
  const plan = { ...record, picks };
  const currency = r.currency ?? '';
  const lines = [
    `batch ${r.batchId}: plan only (--dry-run), nothing bought`,
    ...coverageFigures(plan, currency).map((line) => `  ${line}`),
    `  chosen from ${plan.candidates} catalog scenes` +
      (plan.candidatesCapped ? ' (the search found more: narrow it with --collection, --datetime or --cloud-lt)' : '') +
      (plan.inFlight > 0 ? `; ${plan.inFlight} being bought by other purchases left out` : ''),
  ];
  if (plan.ownershipUnknown) lines.push(`  note: ${plan.ownershipUnknown}`);
  if (plan.picks.length > 0) lines.push('  picks, in the order chosen:');
  plan.picks.slice(0, MAX_LISTED_PICKS).forEach((pick, i) => lines.push(`  ${i + 1}. ${pickLine(pick, currency)}`));
  if (plan.picks.length > MAX_LISTED_PICKS) lines.push(`  ... and ${plan.picks.length - MAX_LISTED_PICKS} more`);
  return lines.join('\n');
}

function pickLine(pick: CoveragePickRecord, currency: string): string {
  const head = `${pick.datetime.slice(0, 10)} ${pick.collection}/${pick.item}: +${formatKm2(pick.newKm2)}`;
  if (pick.owned) return `${head}, owned already (order ${pick.ownedIn})`;
  if (pick.geometry === null) return `${head}, whole scene of ${formatKm2(pick.boughtKm2)}, ${pick.price} ${currency}`;
  const vertices = pick.geometry.coordinates.reduce((n, ring) => n + ring.length - 1, 0);
  return `${head}, clipped to ${formatKm2(pick.boughtKm2)} (${vertices} vertices), ${pick.price} ${currency}`;
}

/** DIR/coverage.svg and DIR/coverage.geojson of the coverage reached, as they are to be written. */
export function coverageReportFiles(
  dir: string,
  aoi: Aoi,
  { result: r, items, picks }: BatchReport,
): Array<{ file: string; text: string }> {
  const record = r.coveragePlan;
  if (!record || !picks) return [];
  const plan = { ...record, picks };
  const reached = reachedPlan(aoi, plan, r.coverage?.dryRun ? picks : coveringPicks(picks, items));
  const title = `Coverage of batch ${r.batchId}${r.coverage?.dryRun ? ' (plan)' : ''}`;
  return [
    {
      file: path.join(dir, 'coverage.svg'),
      text: coverageSvg(aoi, reached, { title, currency: r.currency ?? undefined }),
    },
    { file: path.join(dir, 'coverage.geojson'), text: coverageGeoJson(aoi, reached) },
  ];
}
