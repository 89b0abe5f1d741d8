/**
 * The batch's input side: the coverage plan, each chunk of the input read, priced and checked, fitted into the
 * budget and queued (the others get their rows), and a queue too large to carry stored and read back.
 */
import { workflowInfo } from '@temporalio/workflow';
import { fitChunk } from '../shared/batch-plan';
import {
  DEFAULT_CHUNK_SIZE,
  unpackRow,
  type BatchCarried,
  type BatchInput,
  type ExaminedItem,
  type PlannedItem,
} from '../shared/batch-types';
import { examinedPicks } from '../shared/coverage-plan';
import type { CoveragePickRecord, CoverageRequest } from '../shared/coverage-types';
import { itemKey } from '../shared/item-key';
import { paginate, storedList, type StoredList } from '../shared/stored-pages';
import type { BatchRows } from './batch-rows';
import type { BatchSteps } from './batch-steps';

export class BatchPlanner {
  /**
   * What this run has examined: the rows still carried and the queue (an item repeated further apart in a search
   * is examined again, and its claim then reports it as owned or in flight: never ordered twice).
   */
  private readonly seen: Set<string>;

  constructor(
    private readonly input: BatchInput,
    private readonly state: BatchCarried,
    private readonly steps: BatchSteps,
    private readonly rows: BatchRows,
  ) {
    this.seen = new Set([...state.rows.map((row) => itemKey(unpackRow(row))), ...state.queue.map(itemKey)]);
  }

  /**
   * Plans the coverage of the area once and records the plan before anything is bought; then its picks are the
   * batch's whole input (owned ones reported at once). A dry run stops at the plan.
   */
  async planCoverage(coverage: CoverageRequest): Promise<void> {
    const s = this.state;
    s.coverage = await this.steps.coveragePlanning.planCoverage({
      batchId: this.input.batchId,
      taskQueue: workflowInfo().taskQueue,
      contractId: s.contractId,
      claimScope: workflowInfo().taskQueue,
      request: coverage,
      budget: this.input.budget,
      currency: s.currency,
      ...(this.input.scheduleId ? { scheduleId: this.input.scheduleId } : {}),
    });
    s.nextPick = 0;
    s.coveredKm2 = 0;
    s.exhausted = coverage.dryRun === true || s.coverage.picks.count === 0;
  }

  /** Reads, prices and classifies the next chunk of the input, and fits it into the budget. */
  async planNextChunk(): Promise<void> {
    const chunkSize = this.input.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const s = this.state;
    const api = this.steps.datacosmos;
    const chunkOf = { contractId: s.contractId, claimScope: workflowInfo().taskQueue, batchStartedAt: s.startedAt };
    let examined: ExaminedItem[];
    if (this.input.search) {
      const left = (this.input.search.maxItems ?? Infinity) - s.examined;
      const limit = Math.min(chunkSize, left);
      const plan = await api.planChunk({
        ...chunkOf,
        search: { ...this.input.search, cursor: s.cursor, limit },
      });
      examined = plan.examined.slice(0, limit);
      s.ownershipUnknown ??= plan.ownershipUnknown;
      s.cursor = plan.nextCursor;
      s.exhausted =
        plan.nextCursor === null || s.examined + examined.length >= (this.input.search.maxItems ?? Infinity);
    } else if (s.coverage) {
      examined = await this.examineNextPicks(s.coverage.picks);
    } else if (this.input.storedItems) {
      const list = this.input.storedItems;
      const count = Math.min(chunkSize, list.count - s.nextIndex);
      const plan = await api.planChunk({
        ...chunkOf,
        storedItems: { list, from: s.nextIndex, count },
      });
      examined = plan.examined;
      s.ownershipUnknown ??= plan.ownershipUnknown;
      s.nextIndex += count;
      s.exhausted = s.nextIndex >= list.count;
    } else {
      const items = (this.input.items ?? []).slice(s.nextIndex, s.nextIndex + chunkSize);
      const plan = await api.planChunk({ ...chunkOf, items });
      examined = plan.examined;
      s.ownershipUnknown ??= plan.ownershipUnknown;
      s.nextIndex += items.length;
      s.exhausted = s.nextIndex >= (this.input.items ?? []).length;
    }
    s.examined += examined.length;
    this.fit(examined);
  }

  /** The next stored page of the coverage plan's picks, as examined items. */
  private async examineNextPicks(picks: StoredList): Promise<ExaminedItem[]> {
    const s = this.state;
    const page = s.nextPick ?? 0;
    const values = (await this.steps.pages.readStoredPage({ list: picks, page })) as CoveragePickRecord[];
    s.nextPick = page + 1;
    s.exhausted = page + 1 >= picks.pages;
    return examinedPicks(values, this.input.coverage?.projectId ?? this.input.batchId);
  }

  /** Fits examined items into the budget: the affordable ones are queued, the others get their rows. */
  private fit(examined: ExaminedItem[]): void {
    const s = this.state;
    const fit = {
      budget: this.input.budget,
      maxPricePerItem: this.input.maxPricePerItem,
      currency: s.currency,
      reserved: s.reserved,
      seen: this.seen,
    };
    const { planned, rows } = fitChunk(fit, examined);
    s.reserved = fit.reserved;
    s.queue.push(...planned);
    const cover = new Map(examined.map((e) => [itemKey(e), e.coverKm2]));
    for (const row of rows) this.rows.add(row, cover.get(itemKey(row)));
  }

  /** Stores a queue too large to carry, in pages of its own. */
  async storeQueue(queue: PlannedItem[], name: string): Promise<StoredList> {
    const pages = paginate(queue);
    const list = storedList({ kind: 'workflow', id: this.input.batchId }, name, pages);
    const taskQueue = workflowInfo().taskQueue;
    await Promise.all(pages.map((values, page) => this.steps.pages.storePage({ taskQueue, list, page, values })));
    return list;
  }

  /** A queue stored by the previous run (it was too large to carry) is read back before anything else. */
  async restoreQueue(): Promise<void> {
    const stored = this.state.storedQueue;
    if (!stored) return;
    for (let page = 0; page < stored.pages; page++) {
      const values = (await this.steps.pages.readStoredPage({ list: stored, page })) as PlannedItem[];
      this.state.queue.push(...values);
      for (const line of values) this.seen.add(itemKey(line));
    }
    delete this.state.storedQueue;
  }
}
