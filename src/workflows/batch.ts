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
  ApplicationFailure,
  CancellationScope,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { fitChunk, inFlightReason, ownedReason } from '../shared/batch-plan';
import { batchCancelSignal, itemsQuery, progressQuery } from '../shared/batch-messages';
import {
  DEFAULT_BATCH_CONCURRENCY,
  DEFAULT_BATCH_HISTORY_EVENT_LIMIT,
  DEFAULT_CHUNK_SIZE,
  DEFAULT_ITEMS_PER_ORDER,
  ITEM_OUTCOMES,
  packRow,
  unpackRow,
  type BatchCarried,
  type BatchInput,
  type BatchPhase,
  type BatchProgress,
  type BatchResult,
  type ExaminedItem,
  type ItemOutcome,
  type ItemReport,
  type PlannedItem,
} from '../shared/batch-types';
import { batchInputProblems } from '../shared/batch-validation';
import { coverageProgress, examinedPicks } from '../shared/coverage-plan';
import type { CoverageRequest } from '../shared/coverage-types';
import { itemKey } from '../shared/item-key';
import { add, subtract } from '../shared/money';
import { cancelSignal } from '../shared/purchase-messages';
import type { DroppedItem, PurchaseEnd, PurchaseInput, PurchaseResult } from '../shared/purchase-types';
import {
  BatchIdKey,
  OrganisationIdKey,
  PurchaseItemsKey,
  PurchaseStageKey,
  ScheduledStartTimeKey,
} from '../shared/search-attributes';
import { datacosmosQueueOption } from './datacosmos-queue';
import { purchaseWorkflow } from './purchase';

type Activities = ReturnType<typeof createActivities>;

const PURCHASE_OUTCOME: Record<PurchaseEnd, ItemOutcome> = {
  COMPLETED: 'PAID',
  CANCELLED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
  REJECTED: 'FAILED',
  FAILED: 'FAILED',
  ALREADY_OWNED: 'ALREADY_OWNED',
  IN_FLIGHT: 'IN_FLIGHT',
};

export async function batchPurchaseWorkflow(input: BatchInput): Promise<BatchResult> {
  const batch = new Batch(input.schedule ? startScheduledRun(input) : input);
  // A Temporal cancellation is the `cancelBatch` signal: running purchases are asked to end cleanly.
  CancellationScope.current().cancelRequested.catch(() => batch.requestCancel('cancel requested through Temporal'));
  return CancellationScope.nonCancellable(() => batch.run());
}

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
    ...(search ? { search: { ...search, datetime } } : {}),
    ...(coverage ? { coverage: { ...coverage, datetime } } : {}),
  };
}

function droppedReason(d: DroppedItem): string {
  return d.outcome === 'ALREADY_OWNED' ? ownedReason(d.orderId) : inFlightReason(d.purchaseId);
}

class Batch {
  private readonly api: Activities;
  /** Coverage planning reads every page of a search over the area and works on polygons: it may take minutes. */
  private readonly planApi: Activities;
  private readonly groupSize: number;
  private readonly concurrency: number;
  private readonly historyLimit: number;
  private state: BatchCarried;
  private readonly seen: Set<string>;
  private readonly running = new Map<string, PlannedItem[]>();
  private phase: BatchPhase = 'PLANNING';

  constructor(private readonly input: BatchInput) {
    this.groupSize = input.itemsPerOrder ?? DEFAULT_ITEMS_PER_ORDER;
    this.concurrency = input.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
    this.historyLimit = input.historyEventLimit ?? DEFAULT_BATCH_HISTORY_EVENT_LIMIT;
    this.api = proxyActivities<Activities>({
      startToCloseTimeout: input.activityTimeoutMs ? input.activityTimeoutMs * 6 : '2m',
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
      ...datacosmosQueueOption(),
    });
    this.planApi = proxyActivities<Activities>({
      startToCloseTimeout: '10m',
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
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
      rows: [],
      cancelReason: null,
    };
    this.seen = new Set([...this.items().map(itemKey), ...this.state.queue.map(itemKey)]);
    setHandler(progressQuery, () => this.progress());
    setHandler(itemsQuery, () => this.items());
    setHandler(batchCancelSignal, (reason?: string) =>
      this.requestCancel(reason ? `cancelled: ${reason}` : 'cancelled'),
    );
  }

  requestCancel(reason: string): void {
    this.state.cancelReason ??= reason;
  }

  async run(): Promise<BatchResult> {
    if (!this.input.carried) await this.start();
    while (this.state.cancelReason === null) {
      if (this.historyFull()) await this.drainAndContinueAsNew();
      if (!this.state.exhausted && this.state.queue.length < this.groupSize * this.concurrency) {
        await this.planNextChunk();
        continue;
      }
      this.phase = 'BUYING';
      this.startGroupsWhileRoom();
      if (this.state.exhausted && this.state.queue.length === 0 && this.running.size === 0) break;
      const running = this.running.size;
      await condition(() => this.running.size < running || this.state.cancelReason !== null);
    }
    if (this.state.cancelReason !== null) await this.stopPurchases();
    return this.finish();
  }

  // --- steps -----------------------------------------------------------------------------------

  private async start(): Promise<void> {
    const problems = batchInputProblems(this.input);
    if (problems.length > 0)
      throw ApplicationFailure.nonRetryable(`invalid batch: ${problems.join('; ')}`, 'InvalidBatch');
    const contract = await this.api.resolveContract({ contractId: this.input.contractId });
    if (this.input.currency && this.input.currency !== contract.currency) {
      throw ApplicationFailure.nonRetryable(
        `budget currency ${this.input.currency} differs from contract ${contract.contractId}'s currency ${contract.currency}`,
        'InvalidBatch',
      );
    }
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
      contractId: s.contractId,
      claimScope: workflowInfo().taskQueue,
      request: coverage,
      budget: this.input.budget,
    });
    s.exhausted = true;
    if (coverage.dryRun) return;
    const examined = examinedPicks(s.coverage, coverage.projectId ?? this.input.batchId);
    s.examined = examined.length;
    this.fit(examined);
  }

  /** Reads, prices and classifies the next chunk of the input, and fits it into the budget. */
  private async planNextChunk(): Promise<void> {
    this.phase = 'PLANNING';
    const chunkSize = this.input.chunkSize ?? DEFAULT_CHUNK_SIZE;
    const s = this.state;
    let examined;
    if (this.input.search) {
      const left = (this.input.search.maxItems ?? Infinity) - s.examined;
      const limit = Math.min(chunkSize, left);
      const plan = await this.api.planChunk({
        contractId: s.contractId,
        claimScope: workflowInfo().taskQueue,
        search: { ...this.input.search, cursor: s.cursor, limit },
      });
      examined = plan.examined.slice(0, limit);
      s.ownershipUnknown ??= plan.ownershipUnknown;
      s.cursor = plan.nextCursor;
      s.exhausted =
        plan.nextCursor === null || s.examined + examined.length >= (this.input.search.maxItems ?? Infinity);
    } else {
      const items = (this.input.items ?? []).slice(s.nextIndex, s.nextIndex + chunkSize);
      const plan = await this.api.planChunk({ contractId: s.contractId, claimScope: workflowInfo().taskQueue, items });
      examined = plan.examined;
      s.ownershipUnknown ??= plan.ownershipUnknown;
      s.nextIndex += items.length;
      s.exhausted = s.nextIndex >= (this.input.items ?? []).length;
    }
    s.examined += examined.length;
    this.fit(examined);
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
    for (const row of rows) this.addRow(row);
  }

  private addRow(row: ItemReport): void {
    this.state.rows.push(packRow(row));
  }

  private items(): ItemReport[] {
    return this.state.rows.map(unpackRow);
  }

  /** Starts purchases for full groups (or the last, partial one) while the window has room. */
  private startGroupsWhileRoom(): void {
    const s = this.state;
    while (
      this.running.size < this.concurrency &&
      (s.queue.length >= this.groupSize || (s.exhausted && s.queue.length > 0))
    ) {
      const group = s.queue.splice(0, this.groupSize);
      const purchaseId = `${this.input.batchId}/${s.nextGroup}`;
      s.nextGroup += 1;
      this.running.set(purchaseId, group);
      void this.buyGroup(purchaseId, group).finally(() => this.running.delete(purchaseId));
    }
  }

  private async buyGroup(purchaseId: string, group: PlannedItem[]): Promise<void> {
    const planned = add(...group.map((line) => line.price));
    const input: PurchaseInput = {
      purchaseId,
      items: group.map(({ collection, item, level, geometry, projectId }) => ({
        collection,
        item,
        level,
        ...(geometry ? { geometry, projectId } : {}),
      })),
      contractId: this.state.contractId,
      // The planned total is the purchase's own budget: a price that rose since planning is never paid.
      budget: { maxTotal: planned, currency: this.state.currency, approval: 'reject' },
      batchId: this.input.batchId,
      ...(this.input.deliver ? { deliver: this.input.deliver } : {}),
      ...(this.input.activityTimeoutMs ? { activityTimeoutMs: this.input.activityTimeoutMs } : {}),
      ...(this.input.poll ? { poll: this.input.poll } : {}),
      ...(this.input.paymentWindowMs ? { paymentWindowMs: this.input.paymentWindowMs } : {}),
    };
    try {
      const child = await startChild(purchaseWorkflow, {
        workflowId: purchaseId,
        args: [input],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        typedSearchAttributes: [
          { key: BatchIdKey, value: this.input.batchId },
          { key: PurchaseStageKey, value: 'VALIDATING' },
          { key: PurchaseItemsKey, value: group.map(itemKey) },
          ...(this.state.organisationId === null
            ? []
            : [{ key: OrganisationIdKey, value: String(this.state.organisationId) }]),
        ],
      });
      this.recordPurchase(group, planned, await child.result());
    } catch (err) {
      this.state.reserved = subtract(this.state.reserved, planned);
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
      const reason = `purchase ${purchaseId} failed: ${cause instanceof Error ? cause.message : String(cause)}`;
      for (const line of group) this.addRow(rowOf(line, 'FAILED', { reason }));
    }
  }

  private recordPurchase(group: PlannedItem[], planned: string, result: PurchaseResult): void {
    const s = this.state;
    const outcome = PURCHASE_OUTCOME[result.end];
    const paid = outcome === 'PAID';
    s.reserved = add(subtract(s.reserved, planned), paid ? (result.total ?? planned) : '0');
    if (paid) s.spent = add(s.spent, result.total ?? planned);
    const prices = new Map(
      result.lineItems.map((line) => [itemKey(line), 'price' in line ? (line.price as string) : null]),
    );
    const deliveries = new Map((result.delivery ?? []).map((d) => [itemKey(d), d]));
    const dropped = new Map((result.dropped ?? []).map((d) => [itemKey(d), d]));
    for (const line of group) {
      const other = dropped.get(itemKey(line));
      if (other) {
        this.addRow(rowOf(line, other.outcome, { orderId: other.orderId, reason: droppedReason(other) }));
        continue;
      }
      const delivery = deliveries.get(itemKey(line));
      const reason = delivery?.reason ?? (paid ? null : result.reason);
      this.addRow({
        ...rowOf(line, outcome, { orderId: result.orderId, reason, delivery: delivery?.state ?? null }),
        price: prices.get(itemKey(line)) ?? line.price,
      });
    }
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
    return info.historyLength >= this.historyLimit || info.continueAsNewSuggested;
  }

  /** Lets running purchases end (their results belong to this run), then carries the state into a new run. */
  private async drainAndContinueAsNew(): Promise<never> {
    this.phase = 'DRAINING';
    await condition(() => this.running.size === 0);
    await condition(allHandlersFinished);
    const s = this.state;
    const rest = this.input.items?.slice(s.nextIndex);
    const carried: BatchCarried = { ...s, runs: s.runs + 1, nextIndex: 0 };
    return continueAsNew<typeof batchPurchaseWorkflow>({ ...this.input, ...(rest ? { items: rest } : {}), carried });
  }

  // --- reporting -------------------------------------------------------------------------------

  private progress(): BatchProgress {
    const s = this.state;
    const counts = Object.fromEntries(ITEM_OUTCOMES.map((o) => [o, 0])) as Record<ItemOutcome, number>;
    for (const row of s.rows) counts[unpackRow(row).outcome] += 1;
    let inFlight = 0;
    for (const group of this.running.values()) inFlight += group.length;
    return {
      batchId: this.input.batchId,
      phase: this.phase,
      counts,
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
        ? { coverage: coverageProgress(s.coverage, this.items(), this.input.coverage?.dryRun === true) }
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
      rows: this.state.rows,
      ...(this.state.coverage ? { coveragePlan: this.state.coverage } : {}),
    };
  }
}

/** The report row of a planned item: its price as planned, and whatever else is known. */
function rowOf(
  line: PlannedItem,
  outcome: ItemOutcome,
  known: Partial<Pick<ItemReport, 'orderId' | 'reason' | 'delivery'>>,
): ItemReport {
  const { orderId = null, reason = null, delivery = null } = known;
  return { collection: line.collection, item: line.item, outcome, price: line.price, orderId, reason, delivery };
}
