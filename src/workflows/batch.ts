/**
 * A batch acquisition: read the input in chunks (search pages or slices of an item list), price each chunk,
 * keep what is affordable and not owned or being bought already, group it into orders, and buy them as
 * child purchase workflows in a sliding window of `concurrency`. Every examined item gets one outcome row.
 * A coverage batch (an area of interest) instead plans once, in an activity, which scenes or parts of scenes
 * cover the area most cheaply, records the plan, and buys its picks the same way (line items carrying their
 * sub-area and project). History stays bounded: before it grows large the batch lets its running purchases end
 * and continues as new.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  patched,
  proxyActivities,
  setHandler,
  setWorkflowOptions,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { groupEnded, groupFailed, groupPurchaseInput, rowOf } from '../shared/batch-groups';
import { fitChunk } from '../shared/batch-plan';
import { currencyMismatch } from '../shared/budget-rules';
import { STEP_RETRY } from '../shared/retry-policies';
import { invalidInput } from '../shared/step-failures';
import { batchCancelSignal, progressQuery } from '../shared/batch-messages';
import {
  DEFAULT_BATCH_CONCURRENCY,
  DEFAULT_BATCH_HISTORY_EVENT_LIMIT,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_ITEMS_PER_ORDER,
  noCounts,
  packRow,
  unpackRow,
  type BatchCarried,
  type BatchInput,
  type BatchPhase,
  type BatchProgress,
  type BatchResult,
  type ExaminedItem,
  type ItemReport,
  type PlannedItem,
} from '../shared/batch-types';
import { batchInputProblems, startedInputProblems } from '../shared/batch-validation';
import { COVERING, coverageProgress, examinedPicks } from '../shared/coverage-plan';
import type { CoveragePickRecord, CoverageRequest } from '../shared/coverage-types';
import { itemKey } from '../shared/item-key';
import { subtract } from '../shared/money';
import { cancelSignal } from '../shared/purchase-messages';
import { purchaseItemsValue, takeGroup, takeShardGroup } from '../shared/purchase-groups';
import { INLINE_BYTES, jsonBytes, PAGE_BYTES, paginate, storedList, type StoredList } from '../shared/stored-pages';
import {
  BatchIdKey,
  OrganisationIdKey,
  PurchaseItemsKey,
  PurchaseStageKey,
  ScheduledStartTimeKey,
} from '../shared/search-attributes';
import { datacosmosQueueOption } from './datacosmos-queue';
import { Notifier } from './notifications';
import { purchaseWorkflow } from './purchase';
import { versionedAs } from './versioning';

type Activities = ReturnType<typeof createActivities>;

/** Groups are taken by claim shard since this patch; batches started before it replay taking them in queue order. */
const SHARD_GROUPS_PATCH = 'claim-shard-groups';
/** The next chunk is planned while purchases run since this patch; batches started before it plan, then buy. */
const PLAN_AHEAD_PATCH = 'plan-ahead';

export async function batchPurchaseWorkflow(input: BatchInput): Promise<BatchResult> {
  const batch = new Batch(input.schedule ? startScheduledRun(input) : input);
  // A Temporal cancellation is the `cancelBatch` signal: running purchases are asked to end cleanly.
  CancellationScope.current().cancelRequested.catch(() => batch.requestCancel('cancel requested through Temporal'));
  return CancellationScope.nonCancellable(() => batch.run());
}

/** PINNED: a batch (a schedule's run too) and the purchases it starts run on the build it started on. */
setWorkflowOptions(versionedAs('PINNED'), batchPurchaseWorkflow);

/**
 * A run started by a schedule (`dcp schedule`): its batch id becomes its workflow id (the schedule appends the
 * scheduled time, so each run is unique), and its search covers the `windowMs` before its scheduled time
 * (`TemporalScheduledStartTime`, or the start time when run by hand). Both come from the run's start event, so
 * replay is deterministic; continue-as-new carries the rewritten input. An invalid input is left for `start` to refuse.
 */
function startScheduledRun(input: BatchInput): BatchInput {
  const { schedule, search, coverage, ...rest } = input;
  if (!schedule || !(search || coverage) || batchInputProblems(input).length > 0) return input;
  const info = workflowInfo();
  const end = info.typedSearchAttributes.get(ScheduledStartTimeKey) ?? info.startTime;
  const start = new Date(end.getTime() - schedule.windowMs);
  const datetime = `${start.toISOString()}/${end.toISOString()}`;
  upsertSearchAttributes([{ key: BatchIdKey, value: info.workflowId }]);
  return {
    ...rest,
    batchId: info.workflowId,
    scheduleId: input.batchId,
    ...(search ? { search: { ...search, datetime } } : {}),
    ...(coverage ? { coverage: { ...coverage, datetime } } : {}),
  };
}

class Batch {
  private readonly api: Activities;
  /** Coverage planning reads every page of a search over the area and works on polygons: it may take minutes. */
  private readonly planApi: Activities;
  private readonly storeApi: Activities;
  private readonly groupSize: number;
  private readonly concurrency: number;
  private readonly historyLimit: number;
  private state: BatchCarried;
  private readonly seen: Set<string>;
  private readonly running = new Map<string, PlannedItem[]>();
  private phase: BatchPhase = 'PLANNING';
  /** Bytes of the carried rows as JSON: a page is stored once they fill one. */
  private rowBytes: number;
  /** Its events, to its `notify` URLs and the worker's default (behind patched('notifications')). */
  private readonly notifier: Notifier;
  /** Whether this run sent (or found sent) `coverage_reached`. */
  private coverageReachedSent = false;
  /** The chunk being planned while purchases run (behind PLAN_AHEAD_PATCH). */
  private planning: { done: boolean; step: Promise<void> } | null = null;

  constructor(private readonly input: BatchInput) {
    this.groupSize = input.itemsPerOrder ?? DEFAULT_ITEMS_PER_ORDER;
    this.concurrency = input.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
    this.historyLimit = input.historyEventLimit ?? DEFAULT_BATCH_HISTORY_EVENT_LIMIT;
    this.api = proxyActivities<Activities>({
      startToCloseTimeout: input.activityTimeoutMs ? input.activityTimeoutMs * 6 : '2m',
      retry: STEP_RETRY,
      ...datacosmosQueueOption(),
    });
    // Stored pages are written and read through the Temporal client, on the batch's own queue.
    this.storeApi = proxyActivities<Activities>({
      startToCloseTimeout: '1m',
      retry: STEP_RETRY,
    });
    this.planApi = proxyActivities<Activities>({
      startToCloseTimeout: '10m',
      retry: STEP_RETRY,
      ...datacosmosQueueOption(),
    });
    this.state = input.carried ?? {
      startedAt: new Date().toISOString(),
      runs: 0,
      contractId: input.contractId ?? 0,
      currency: input.currency ?? '',
      cursor: null,
      nextIndex: 0,
      exhausted: false,
      examined: 0,
      reserved: '0',
      spent: '0',
      nextGroup: 0,
      organisationId: null,
      queue: [],
      rowPages: { owner: { kind: 'workflow', id: input.batchId }, name: 'rows', pages: 0, count: 0, pageCounts: [] },
      rows: [],
      counts: noCounts(),
      cancelReason: null,
    };
    // What this run has examined: the rows still carried and the queue (an item repeated further apart in a search
    // is examined again, and its claim then reports it as owned or in flight: never ordered twice).
    this.seen = new Set([...this.state.rows.map((row) => itemKey(unpackRow(row))), ...this.state.queue.map(itemKey)]);
    this.rowBytes = jsonBytes(this.state.rows);
    this.notifier = new Notifier({ batchId: input.batchId }, input.notify);
    setHandler(progressQuery, () => this.progress());
    setHandler(batchCancelSignal, (reason?: string) =>
      this.requestCancel(reason ? `cancelled: ${reason}` : 'cancelled'),
    );
  }

  requestCancel(reason: string): void {
    this.state.cancelReason ??= reason;
  }

  async run(): Promise<BatchResult> {
    if (!this.input.carried) await this.start();
    await this.restoreQueue();
    if (patched(PLAN_AHEAD_PATCH)) await this.buyWhilePlanning();
    else await this.planThenBuy();
    if (this.state.cancelReason !== null) await this.stopPurchases();
    await this.storeFullRowPages();
    const result = this.finish();
    await this.notifier.send('batch_ended', {
      end: result.end,
      counts: result.counts,
      examined: result.examined,
      budget: result.budget,
      spent: result.spent,
      currency: result.currency,
      cancelReason: result.cancelReason,
      ...(result.coverage ? { coverage: result.coverage } : {}),
      report: { batchId: this.input.batchId, command: `dcp batch status ${this.input.batchId} --json` },
    });
    await this.notifier.drained();
    return result;
  }

  /**
   * Plans the next chunk while purchases run, one chunk at a time, from when the queue holds less than two windows
   * (`concurrency` orders of `itemsPerOrder`). Planning a chunk reads, prices and checks up to 500 items through the
   * API: at 100 ms a request it took seconds, in which no purchase started.
   */
  private async buyWhilePlanning(): Promise<void> {
    const s = this.state;
    while (s.cancelReason === null) {
      await this.planFinished();
      await this.storeFullRowPages();
      if (this.historyFull()) {
        await this.planSettled();
        await this.drainAndContinueAsNew();
      }
      if (!this.planning && !s.exhausted && s.queue.length < 2 * this.groupSize * this.concurrency) {
        const planning = { done: false, step: this.planNextChunk() };
        planning.step.then(
          () => (planning.done = true),
          () => (planning.done = true),
        );
        this.planning = planning;
      }
      this.phase = this.planning && this.running.size === 0 ? 'PLANNING' : 'BUYING';
      this.startGroupsWhileRoom();
      if (s.exhausted && !this.planning && s.queue.length === 0 && this.running.size === 0) return;
      const running = this.running.size;
      const planning = this.planning;
      await condition(() => this.running.size < running || planning?.done === true || s.cancelReason !== null);
    }
    await this.planSettled();
  }

  /** The chunk being planned, once it is done: a planning step that failed fails the batch here. */
  private async planFinished(): Promise<void> {
    if (this.planning?.done) await this.planSettled();
  }

  /** Waits for the chunk being planned (before the batch continues as new or stops, its items must be in the queue). */
  private async planSettled(): Promise<void> {
    const step = this.planning?.step;
    this.planning = null;
    await step;
  }

  /** Batches started before PLAN_AHEAD_PATCH: each chunk is planned when the queue runs short, and buying waits. */
  private async planThenBuy(): Promise<void> {
    const s = this.state;
    while (s.cancelReason === null) {
      await this.storeFullRowPages();
      if (this.historyFull()) await this.drainAndContinueAsNew();
      if (!s.exhausted && s.queue.length < this.groupSize * this.concurrency) {
        this.phase = 'PLANNING';
        await this.planNextChunk();
        continue;
      }
      this.phase = 'BUYING';
      this.startGroupsWhileRoom();
      if (s.exhausted && s.queue.length === 0 && this.running.size === 0) return;
      const running = this.running.size;
      await condition(() => this.running.size < running || s.cancelReason !== null);
    }
  }

  // --- steps -----------------------------------------------------------------------------------

  private async start(): Promise<void> {
    const problems = [...batchInputProblems(this.input), ...startedInputProblems(this.input)];
    if (problems.length > 0) throw invalidInput('batch', problems);
    const contract = await this.api.resolveContract({ contractId: this.input.contractId });
    const mismatch = currencyMismatch(this.input.currency, contract);
    if (mismatch) throw invalidInput('batch', [mismatch]);
    this.state.contractId = contract.contractId;
    this.state.currency = contract.currency;
    this.state.organisationId = contract.organisationId;
    if (this.input.coverage) await this.planCoverage(this.input.coverage);
  }

  /**
   * Plans the coverage of the area once and records the plan before anything is bought; then its picks are the
   * batch's whole input (owned ones reported at once). A dry run stops at the plan.
   */
  private async planCoverage(coverage: CoverageRequest): Promise<void> {
    this.phase = 'PLANNING';
    const s = this.state;
    s.coverage = await this.planApi.planCoverage({
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
  private async planNextChunk(): Promise<void> {
    const chunkSize = this.input.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const s = this.state;
    const chunkOf = { contractId: s.contractId, claimScope: workflowInfo().taskQueue, batchStartedAt: s.startedAt };
    let examined: ExaminedItem[];
    if (this.input.search) {
      const left = (this.input.search.maxItems ?? Infinity) - s.examined;
      const limit = Math.min(chunkSize, left);
      const plan = await this.api.planChunk({
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
      const plan = await this.api.planChunk({
        ...chunkOf,
        storedItems: { list, from: s.nextIndex, count },
      });
      examined = plan.examined;
      s.ownershipUnknown ??= plan.ownershipUnknown;
      s.nextIndex += count;
      s.exhausted = s.nextIndex >= list.count;
    } else {
      const items = (this.input.items ?? []).slice(s.nextIndex, s.nextIndex + chunkSize);
      const plan = await this.api.planChunk({ ...chunkOf, items });
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
    const values = (await this.storeApi.readStoredPage({ list: picks, page })) as CoveragePickRecord[];
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
    for (const row of rows) this.addRow(row, cover.get(itemKey(row)));
  }

  /** One item's row; a coverage pick bought or owned adds the area it newly covers. */
  private addRow(row: ItemReport, coverKm2?: number): void {
    const s = this.state;
    const packed = packRow(row);
    s.rows.push(packed);
    this.rowBytes += jsonBytes(packed) + 1;
    // Runs carried from before an outcome existed lack its count.
    s.counts[row.outcome] = (s.counts[row.outcome] ?? 0) + 1;
    if (coverKm2 !== undefined && COVERING.has(row.outcome)) s.coveredKm2 = (s.coveredKm2 ?? 0) + coverKm2;
  }

  /** Rows that fill a page are stored (a page at a time, oldest first): the carried rows stay under a page. */
  private async storeFullRowPages(): Promise<void> {
    const s = this.state;
    while (this.rowBytes >= PAGE_BYTES) {
      const [page] = paginate(s.rows, PAGE_BYTES);
      const rest = s.rows.slice(page.length);
      const list = s.rowPages;
      await this.storeApi.storePage({ taskQueue: workflowInfo().taskQueue, list, page: list.pages, values: page });
      s.rowPages = {
        ...list,
        pages: list.pages + 1,
        count: list.count + page.length,
        pageCounts: [...list.pageCounts, page.length],
      };
      s.rows = rest;
      this.rowBytes = jsonBytes(rest);
    }
  }

  private async storeQueue(queue: PlannedItem[], name: string): Promise<StoredList> {
    const pages = paginate(queue);
    const list = storedList({ kind: 'workflow', id: this.input.batchId }, name, pages);
    const taskQueue = workflowInfo().taskQueue;
    await Promise.all(pages.map((values, page) => this.storeApi.storePage({ taskQueue, list, page, values })));
    return list;
  }

  /** A queue stored by the previous run (it was too large to carry) is read back before anything else. */
  private async restoreQueue(): Promise<void> {
    const stored = this.state.storedQueue;
    if (!stored) return;
    for (let page = 0; page < stored.pages; page++) {
      const values = (await this.storeApi.readStoredPage({ list: stored, page })) as PlannedItem[];
      this.state.queue.push(...values);
      for (const line of values) this.seen.add(itemKey(line));
    }
    delete this.state.storedQueue;
  }

  /** Starts purchases for full groups (or the last, partial one) while the window has room. */
  private startGroupsWhileRoom(): void {
    const s = this.state;
    while (
      this.running.size < this.concurrency &&
      (s.queue.length >= this.groupSize || (s.exhausted && s.queue.length > 0))
    ) {
      const group = patched(SHARD_GROUPS_PATCH)
        ? takeShardGroup(s.queue, this.groupSize)
        : takeGroup(s.queue, this.groupSize);
      const purchaseId = `${this.input.batchId}/${s.nextGroup}`;
      s.nextGroup += 1;
      this.running.set(purchaseId, group);
      void this.buyGroup(purchaseId, group).finally(() => this.running.delete(purchaseId));
    }
  }

  private async buyGroup(purchaseId: string, group: PlannedItem[]): Promise<void> {
    const s = this.state;
    const contract = { contractId: s.contractId, currency: s.currency };
    let ended;
    try {
      const child = await startChild(purchaseWorkflow, {
        workflowId: purchaseId,
        args: [groupPurchaseInput(this.input, contract, purchaseId, group)],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        typedSearchAttributes: [
          { key: BatchIdKey, value: this.input.batchId },
          { key: PurchaseStageKey, value: 'VALIDATING' },
          { key: PurchaseItemsKey, value: purchaseItemsValue(group) },
          ...(s.organisationId === null ? [] : [{ key: OrganisationIdKey, value: String(s.organisationId) }]),
        ],
      });
      const result = await child.result();
      ended = groupEnded(group, { reserved: s.reserved, spent: s.spent }, result);
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
      const reason = `purchase ${purchaseId} failed: ${cause instanceof Error ? cause.message : String(cause)}`;
      ended = groupFailed(group, { reserved: s.reserved, spent: s.spent }, reason);
    }
    s.reserved = ended.reserved;
    s.spent = ended.spent;
    for (const { row, coverKm2 } of ended.rows) this.addRow(row, coverKm2);
    if (s.coverage && !this.coverageReachedSent) await this.coverageReached();
  }

  /** Sends `coverage_reached` once the picks bought cover the target share of the area (once per batch). */
  private async coverageReached(): Promise<void> {
    const coverage = this.progress().coverage;
    if (!coverage || coverage.dryRun || coverage.boughtPct < coverage.targetPct) return;
    this.coverageReachedSent = true;
    await this.notifier.send('coverage_reached', {
      ...coverage,
      spent: this.state.spent,
      currency: this.state.currency,
    });
  }

  /** Cancel: nothing new starts, queued items are reported, running purchases are asked to end cleanly. */
  private async stopPurchases(): Promise<void> {
    const s = this.state;
    for (const line of s.queue.splice(0)) {
      s.reserved = subtract(s.reserved, line.price);
      this.addRow(rowOf(line, 'CANCELLED', { reason: `${s.cancelReason}; no purchase was started` }));
    }
    this.phase = 'DRAINING';
    await Promise.all(
      [...this.running.keys()].map((id) =>
        getExternalWorkflowHandle(id)
          .signal(cancelSignal, s.cancelReason ?? 'cancelled')
          .catch(() => undefined),
      ),
    );
    await condition(() => this.running.size === 0);
  }

  private historyFull(): boolean {
    const info = workflowInfo();
    return (
      info.historyLength >= this.historyLimit || info.historySize >= MAX_HISTORY_BYTES || info.continueAsNewSuggested
    );
  }

  /** Lets running purchases end (their results belong to this run), then carries the state into a new run. */
  private async drainAndContinueAsNew(): Promise<never> {
    this.phase = 'DRAINING';
    await condition(() => this.running.size === 0);
    await this.storeFullRowPages();
    await this.notifier.drained();
    await condition(allHandlersFinished);
    const s = this.state;
    let carried: BatchCarried = { ...s, runs: s.runs + 1 };
    if (jsonBytes(s.queue) > INLINE_BYTES) {
      // A long queue of planned items goes to pages of its own; the next run reads it back first.
      carried = { ...carried, queue: [], storedQueue: await this.storeQueue(s.queue, `queue-${s.runs}`) };
    }
    // An inline item list goes on from where this run stopped; a stored one keeps its index.
    const rest = this.input.items?.slice(s.nextIndex);
    if (rest) carried.nextIndex = 0;
    return continueAsNew<typeof batchPurchaseWorkflow>({ ...this.input, ...(rest ? { items: rest } : {}), carried });
  }

  // --- reporting -------------------------------------------------------------------------------

  private progress(): BatchProgress {
    const s = this.state;
    let inFlight = 0;
    for (const group of this.running.values()) inFlight += group.length;
    return {
      batchId: this.input.batchId,
      phase: this.phase,
      counts: { ...s.counts },
      examined: s.examined,
      inputExhausted: s.exhausted,
      queued: s.queue.length,
      inFlight,
      budget: this.input.budget,
      currency: s.currency || null,
      spent: s.spent,
      reserved: s.reserved,
      runs: s.runs,
      startedAt: s.startedAt,
      cancelReason: s.cancelReason,
      ownershipUnknown: s.ownershipUnknown ?? s.coverage?.ownershipUnknown ?? null,
      ...(s.coverage
        ? { coverage: coverageProgress(s.coverage, s.coveredKm2 ?? 0, this.input.coverage?.dryRun === true) }
        : {}),
    };
  }

  private finish(): BatchResult {
    this.phase = this.state.cancelReason === null ? 'COMPLETED' : 'CANCELLED';
    const { phase: _phase, queued: _queued, inFlight: _inFlight, ...progress } = this.progress();
    return {
      ...progress,
      end: this.state.cancelReason === null ? 'COMPLETED' : 'CANCELLED',
      endedAt: new Date().toISOString(),
      rowPages: this.state.rowPages,
      rows: this.state.rows,
      ...(this.state.coverage ? { coveragePlan: this.state.coverage } : {}),
    };
  }
}

/**
 * A run's history in bytes at most (and a planning step more): a chunk's planning moves about 100 KB through the
 * history, and a history any page of which passes gRPC's 4 MB could not be fetched whole by a client or a worker.
 */
const MAX_HISTORY_BYTES = 2 * 1024 * 1024;
