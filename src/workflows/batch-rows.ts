/**
 * The batch's outcome rows: one per examined item, counted as it is added, carried packed, and stored a page at a
 * time once they fill one, so the carried rows stay under a page.
 */
import { workflowInfo } from '@temporalio/workflow';
import { packRow, type BatchCarried, type ItemReport } from '../shared/batch-types';
import { COVERING } from '../shared/coverage-plan';
import { jsonBytes, PAGE_BYTES, paginate } from '../shared/stored-pages';
import type { BatchSteps } from './batch-steps';

export class BatchRows {
  /** Bytes of the carried rows as JSON: a page is stored once they fill one. */
  private bytes: number;

  constructor(
    private readonly state: BatchCarried,
    private readonly pages: BatchSteps['pages'],
    /**
     * Whether rows added while a page is being stored (a purchase ending, a chunk planned) are kept: before the
     * batch's patch they were dropped with the stored page's rows, their counts kept.
     */
    private readonly keepsLateRows = false,
  ) {
    this.bytes = jsonBytes(state.rows);
  }

  /** One item's row; a coverage pick bought or owned adds the area it newly covers. */
  add(row: ItemReport, coverKm2?: number): void {
    const s = this.state;
    const packed = packRow(row);
    s.rows.push(packed);
    this.bytes += jsonBytes(packed) + 1;
    // Runs carried from before an outcome existed lack its count.
    s.counts[row.outcome] = (s.counts[row.outcome] ?? 0) + 1;
    if (coverKm2 !== undefined && COVERING.has(row.outcome)) s.coveredKm2 = (s.coveredKm2 ?? 0) + coverKm2;
  }

  /** Rows that fill a page are stored (a page at a time, oldest first). */
  async storeFullPages(): Promise<void> {
    const s = this.state;
    while (this.bytes >= PAGE_BYTES) {
      const [page] = paginate(s.rows, PAGE_BYTES);
      const rest = s.rows.slice(page.length);
      const list = s.rowPages;
      await this.pages.storePage({ taskQueue: workflowInfo().taskQueue, list, page: list.pages, values: page });
      s.rowPages = {
        ...list,
        pages: list.pages + 1,
        count: list.count + page.length,
        pageCounts: [...list.pageCounts, page.length],
      };
      s.rows = this.keepsLateRows ? s.rows.slice(page.length) : rest;
      this.bytes = jsonBytes(s.rows);
    }
  }
}
