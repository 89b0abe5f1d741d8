/**
 * How batches are shown: the progress line, the final summary, the JSON and CSV reports, and the exit code;
 * for coverage batches also the coverage reached against the plan.
 */
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { ITEM_OUTCOMES, type BatchProgress, type BatchResult, type ItemReport } from '../shared/batch-types';
import { formatPct } from '../coverage/report-figures';
import { coveringPicks } from '../shared/coverage-plan';
import type { CoveragePickRecord, CoverageProgress } from '../shared/coverage-types';
import { ExitCode } from '../shared/errors';
import { readBatchItems, readCoveragePicks } from '../workflow-client/batch-client';

/** A batch's result with what it keeps in stored pages read back: every item's row, and a coverage plan's picks. */
export interface BatchReport {
  result: BatchResult;
  items: ItemReport[];
  picks: CoveragePickRecord[] | null;
}

export async function loadBatchReport(client: Client, result: BatchResult): Promise<BatchReport> {
  const [items, picks] = await Promise.all([
    readBatchItems(client, result),
    result.coveragePlan ? readCoveragePicks(client, result.coveragePlan) : Promise.resolve(null),
  ]);
  return { result, items, picks };
}

export const REPORT_COLUMNS: ReadonlyArray<keyof ItemReport> = [
  'collection',
  'item',
  'outcome',
  'price',
  'orderId',
  'reason',
  'delivery',
];

/** Items that count as done: every examined item that is not waiting or in flight. */
export function doneCount(progress: Pick<BatchProgress, 'counts'>): number {
  return ITEM_OUTCOMES.reduce((sum, outcome) => sum + progress.counts[outcome], 0);
}

export function countsText(counts: BatchProgress['counts']): string {
  return ITEM_OUTCOMES.filter((o) => counts[o] > 0)
    .map((o) => `${o} ${counts[o]}`)
    .join(', ');
}

export function progressLine(p: BatchProgress): string {
  const total = p.inputExhausted ? `${p.examined}` : `${p.examined}+`;
  return (
    `${p.batchId}: ${p.phase} ${doneCount(p)}/${total} items | spent ${p.spent}/${p.budget} ${p.currency ?? ''} | ` +
    `in flight ${p.inFlight}, queued ${p.queued}${countsText(p.counts) ? ` | ${countsText(p.counts)}` : ''}` +
    (p.coverage ? ` | ${coverageText(p.coverage)}` : '')
  );
}

/** Coverage so far against the plan: `coverage 61.20 % bought of 98.40 % planned (target 98.0 %)`. */
export function coverageText(c: CoverageProgress): string {
  const planned = `${formatPct(c.plannedPct)} planned (target ${formatPct(c.targetPct)}) for ${c.plannedCost}`;
  return c.dryRun
    ? `coverage ${planned}, nothing bought (dry run)`
    : `coverage ${formatPct(c.boughtPct)} bought of ${planned}`;
}

export function formatBatchResult({ result: r, items }: BatchReport): string {
  const failed = items.filter((i) => i.outcome === 'FAILED' || i.delivery === 'FAILED');
  const lines = [
    `batch ${r.batchId}: ${r.end}${r.cancelReason ? ` (${r.cancelReason})` : ''}`,
    `  items:  ${items.length} (${countsText(r.counts) || 'none'})`,
    `  spent:  ${r.spent} of ${r.budget} ${r.currency ?? ''}`.trimEnd(),
  ];
  if (r.coverage) lines.push(`  ${coverageText(r.coverage)}`);
  if (r.ownershipUnknown) lines.push(`  note:   ${r.ownershipUnknown}`);
  for (const item of failed.slice(0, 10))
    lines.push(`  failed: ${item.collection}/${item.item}: ${item.reason ?? 'unknown'}`);
  if (failed.length > 10) lines.push(`  ... and ${failed.length - 10} more failed (see the report)`);
  return lines.join('\n');
}

/** Why the batch's command fails, with its exit code: cancelled, or items that failed, expired or were not delivered. */
export function batchFailure({ result: r, items }: BatchReport): { code: ExitCode; message: string } | null {
  if (r.end === 'CANCELLED') {
    return {
      code: ExitCode.CANCELLED,
      message: `batch ${r.batchId} was CANCELLED: ${r.cancelReason ?? 'no reason given'}`,
    };
  }
  const count = (test: (i: ItemReport) => boolean) => items.filter(test).length;
  const failed = count((i) => i.outcome === 'FAILED');
  const expired = count((i) => i.outcome === 'EXPIRED');
  const undelivered = count((i) => i.delivery === 'FAILED');
  if (failed + expired + undelivered === 0) return null;
  const parts = [
    failed ? `${failed} failed` : '',
    expired ? `${expired} expired` : '',
    undelivered ? `${undelivered} not delivered` : '',
  ].filter(Boolean);
  return { code: ExitCode.ITEMS_FAILED, message: `batch ${r.batchId} finished with ${parts.join(', ')} item(s)` };
}

/** Writes DIR/BATCH.json (the whole result) and DIR/BATCH.csv (one row per item); returns their paths. */
/** The report's files, DIR/BATCH.json and DIR/BATCH.csv, as they are to be written. */
export function reportFiles(dir: string, report: BatchReport): Array<{ file: string; text: string }> {
  const base = path.join(dir, report.result.batchId.replace(/[^\w.-]+/g, '_'));
  const rows = report.items.map((item) => REPORT_COLUMNS.map((column) => csvCell(item[column])).join(','));
  return [
    { file: `${base}.json`, text: `${JSON.stringify(reportJson(report), null, 2)}\n` },
    { file: `${base}.csv`, text: [REPORT_COLUMNS.join(','), ...rows].join('\n') + '\n' },
  ];
}

function csvCell(value: string | null): string {
  if (value === null) return '';
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The result as users read it: every row with named fields; a coverage batch's figures and its plan's picks (what a
 * dry run would buy: its text lists them, and a script reviewing the plan before spending needs them too).
 */
export function reportJson(
  report: BatchReport,
): Omit<BatchResult, 'rows' | 'rowPages'> & { items: ItemReport[]; picks?: CoveragePickRecord[] } {
  const { rows: _rows, rowPages: _pages, ...summary } = report.result;
  return {
    ...summary,
    ...(report.result.coveragePlan ? { coverageFigures: coverageFigures(report), picks: report.picks ?? [] } : {}),
    items: report.items,
  };
}

/** What the plan expected and what the batch reached: coverage, km² bought, cost; and the naive choice's cost. */
function coverageFigures({ result: r, items, picks }: BatchReport) {
  const plan = r.coveragePlan as NonNullable<BatchResult['coveragePlan']>;
  const covering = r.coverage?.dryRun ? [] : coveringPicks(picks ?? [], items);
  return {
    aoiKm2: plan.aoiKm2,
    targetPct: plan.targetPct,
    planned: { coveragePct: plan.coveragePct, boughtKm2: plan.boughtKm2, cost: plan.cost, stoppedBy: plan.stoppedBy },
    reached: {
      coveragePct: r.coverage?.dryRun ? 0 : (r.coverage?.boughtPct ?? 0),
      boughtKm2: covering.reduce((sum, pick) => sum + pick.boughtKm2, 0),
      cost: r.spent,
    },
    naiveCost: plan.baselines?.naiveCost ?? null,
    clippedCost: plan.baselines?.clippedCost ?? null,
    intersecting: plan.baselines?.intersecting ?? null,
  };
}
