/** How batches are shown: the progress line, the final summary, the JSON and CSV reports, and the exit code. */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ITEM_OUTCOMES,
  batchItems,
  type BatchProgress,
  type BatchResult,
  type ItemReport,
} from '../shared/batch-types';
import { ExitCode } from '../shared/errors';

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
    `in flight ${p.inFlight}, queued ${p.queued}${countsText(p.counts) ? ` | ${countsText(p.counts)}` : ''}`
  );
}

export function formatBatchResult(r: BatchResult): string {
  const items = batchItems(r);
  const failed = items.filter((i) => i.outcome === 'FAILED' || i.delivery === 'FAILED');
  const lines = [
    `batch ${r.batchId}: ${r.end}${r.cancelReason ? ` (${r.cancelReason})` : ''}`,
    `  items:  ${items.length} (${countsText(r.counts) || 'none'})`,
    `  spent:  ${r.spent} of ${r.budget} ${r.currency ?? ''}`.trimEnd(),
  ];
  for (const item of failed.slice(0, 10))
    lines.push(`  failed: ${item.collection}/${item.item}: ${item.reason ?? 'unknown'}`);
  if (failed.length > 10) lines.push(`  ... and ${failed.length - 10} more failed (see the report)`);
  return lines.join('\n');
}

export function batchExitCode(r: BatchResult): ExitCode {
  if (r.end === 'CANCELLED') return ExitCode.CANCELLED;
  const bad = batchItems(r).some((i) => i.outcome === 'FAILED' || i.outcome === 'EXPIRED' || i.delivery === 'FAILED');
  return bad ? ExitCode.ITEMS_FAILED : ExitCode.OK;
}

/** Writes DIR/BATCH.json (the whole result) and DIR/BATCH.csv (one row per item); returns their paths. */
export function writeReports(dir: string, r: BatchResult): string[] {
  mkdirSync(dir, { recursive: true });
  const base = path.join(dir, r.batchId.replace(/[^\w.-]+/g, '_'));
  writeFileSync(`${base}.json`, `${JSON.stringify(reportJson(r), null, 2)}\n`);
  const rows = batchItems(r).map((item) => REPORT_COLUMNS.map((column) => csvCell(item[column])).join(','));
  writeFileSync(`${base}.csv`, [REPORT_COLUMNS.join(','), ...rows].join('\n') + '\n');
  return [`${base}.json`, `${base}.csv`];
}

function csvCell(value: string | null): string {
  if (value === null) return '';
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The result as users read it: rows expanded into named fields. */
export function reportJson(r: BatchResult): Omit<BatchResult, 'rows'> & { items: ItemReport[] } {
  const { rows: _rows, ...summary } = r;
  return { ...summary, items: batchItems(r) };
}
