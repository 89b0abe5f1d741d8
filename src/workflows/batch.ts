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
  patched,
  setHandler,
  setWorkflowOptions,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { batchCancelSignal, progressQuery } from '../shared/batch-messages';
import {
  DEFAULT_BATCH_CONCURRENCY,
  DEFAULT_BATCH_HISTORY_EVENT_LIMIT,
  DEFAULT_ITEMS_PER_ORDER,
  startingState,
  type BatchCarried,
  type BatchInput,
  type BatchPhase,
  type BatchProgress,
  type BatchResult,
} from '../shared/batch-types';
import { batchInputProblems, startedInputProblems } from '../shared/batch-validation';
import { currencyMismatch } from '../shared/budget-rules';
import { coverageProgress } from '../shared/coverage-plan';
import { queueFloor } from '../shared/purchase-groups';
import { BatchIdKey, ScheduledStartTimeKey } from '../shared/search-attributes';
import { invalidInput } from '../shared/step-failures';
import { INLINE_BYTES, jsonBytes } from '../shared/stored-pages';
import { BatchPlanner } from './batch-planning';
import { BatchRows } from './batch-rows';
import { batchSteps, type BatchSteps } from './batch-steps';
import { PurchaseWindow } from './batch-window';
import { historyFull } from './history-full';
import { Notifier } from './notifications';
import { versionedAs } from './versioning';

/** The batch's changes since its first release, each a patch: batches started before one replay without it. */
const PATCHES = {
  /** The next chunk is planned while purchases run; batches started before it plan, then buy. */
  planAhead: 'plan-ahead',
  /** An order's worth of items stays queued for each claim shard (see queueFloor). */
  queuePerShard: 'queue-per-shard',
  /**
   * A cancel reaches every running purchase: one that comes while the batch lets its purchases end before continuing
   * as new stops them at once (before, they were asked only once the next run began), and a purchase whose start was
   * still pending when the others were asked is asked once it has started (before, the signal to it failed and was
   * dropped). Asked in each run's first task.
   */
  cancelReachesAll: 'batch-cancel-reaches-every-purchase',
  /**
   * Rows added while a page of rows is stored are kept (they were dropped with the stored page's rows); a cancel asks
   * the running purchases at once, not after the chunk being planned (which may take minutes while the API fails),
   * and nothing is planned or started once it has come; a purchase that ended without paying but left an order that
   * can still be paid keeps its money reserved. Asked in each run's first task.
   */
  keepsRowsAndMoney: 'batch-keeps-rows-and-money',
} as const;

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
  private readonly steps: BatchSteps;
  private readonly groupSize: number;
  private readonly concurrency: number;
  private readonly historyLimit: number;
  private readonly state: BatchCarried;
  private readonly rows: BatchRows;
  private readonly planner: BatchPlanner;
  private readonly window: PurchaseWindow;
  private phase: BatchPhase = 'PLANNING';
  /** Its events, to its `notify` URLs and the worker's default (behind patched('notifications')). */
  private readonly notifier: Notifier;
  /** Whether this run sent (or found sent) `coverage_reached`. */
  private coverageReachedSent = false;
  /** The chunk being planned while purchases run (behind PATCHES.planAhead). */
  private planning: { done: boolean; step: Promise<void> } | null = null;
  private readonly stopsWhileDraining: boolean;
  /** Behind PATCHES.keepsRowsAndMoney. */
  private readonly keepsRowsAndMoney: boolean;

  constructor(private readonly input: BatchInput) {
    this.stopsWhileDraining = patched(PATCHES.cancelReachesAll);
    this.keepsRowsAndMoney = patched(PATCHES.keepsRowsAndMoney);
    this.groupSize = input.itemsPerOrder ?? DEFAULT_ITEMS_PER_ORDER;
    this.concurrency = input.concurrency ?? DEFAULT_BATCH_CONCURRENCY;
    this.historyLimit = input.historyEventLimit ?? DEFAULT_BATCH_HISTORY_EVENT_LIMIT;
    this.steps = batchSteps(input.activityTimeoutMs);
    this.state = input.carried ?? startingState(input, new Date().toISOString());
    this.rows = new BatchRows(this.state, this.steps.pages, this.keepsRowsAndMoney);
    this.planner = new BatchPlanner(input, this.state, this.steps, this.rows);
    this.window = new PurchaseWindow(
      input,
      this.state,
      this.rows,
      { groupSize: this.groupSize, concurrency: this.concurrency },
      () => (this.state.coverage && !this.coverageReachedSent ? this.coverageReached() : null),
      { asksLateStarts: this.stopsWhileDraining, keepsOpenOrdersMoney: this.keepsRowsAndMoney },
    );
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
    await this.planner.restoreQueue();
    if (patched(PATCHES.planAhead)) {
      const perShard = patched(PATCHES.queuePerShard);
      await this.buyWhilePlanning(queueFloor(this.groupSize, this.concurrency, perShard));
    } else await this.planThenBuy();
    if (this.state.cancelReason !== null) {
      this.phase = 'DRAINING';
      await this.window.stop();
    }
    await this.rows.storeFullPages();
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
   * Plans the next chunk while purchases run, one chunk at a time, from when the queue holds less than `floor` items
   * (see queueFloor). Planning a chunk reads, prices and checks up to 500 items through the API: at 100 ms a request
   * it took seconds, in which no purchase started.
   */
  private async buyWhilePlanning(floor: number): Promise<void> {
    const s = this.state;
    while (s.cancelReason === null) {
      await this.planFinished();
      await this.rows.storeFullPages();
      if (this.keepsRowsAndMoney && s.cancelReason !== null) break;
      if (this.historyFull()) {
        await this.planSettled();
        await this.drainAndContinueAsNew();
        continue; // cancelled while draining
      }
      if (!this.planning && !s.exhausted && s.queue.length < floor) {
        const planning = { done: false, step: this.planner.planNextChunk() };
        planning.step.then(
          () => (planning.done = true),
          () => (planning.done = true),
        );
        this.planning = planning;
      }
      this.phase = this.planning && this.window.size === 0 ? 'PLANNING' : 'BUYING';
      this.window.startWhileRoom();
      if (s.exhausted && !this.planning && s.queue.length === 0 && this.window.size === 0) return;
      const running = this.window.size;
      const planning = this.planning;
      await condition(() => this.window.size < running || planning?.done === true || s.cancelReason !== null);
    }
    if (this.keepsRowsAndMoney && s.cancelReason !== null) await this.window.askRunningToCancel();
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

  /** Batches started before PATCHES.planAhead: each chunk is planned when the queue runs short, and buying waits. */
  private async planThenBuy(): Promise<void> {
    const s = this.state;
    while (s.cancelReason === null) {
      await this.rows.storeFullPages();
      if (this.historyFull()) {
        await this.drainAndContinueAsNew();
        continue; // cancelled while draining
      }
      if (!s.exhausted && s.queue.length < this.groupSize * this.concurrency) {
        this.phase = 'PLANNING';
        await this.planner.planNextChunk();
        continue;
      }
      this.phase = 'BUYING';
      this.window.startWhileRoom();
      if (s.exhausted && s.queue.length === 0 && this.window.size === 0) return;
      const running = this.window.size;
      await condition(() => this.window.size < running || s.cancelReason !== null);
    }
  }

  // --- steps -----------------------------------------------------------------------------------

  private async start(): Promise<void> {
    const problems = [...batchInputProblems(this.input), ...startedInputProblems(this.input)];
    if (problems.length > 0) throw invalidInput('batch', problems);
    const contract = await this.steps.datacosmos.resolveContract({ contractId: this.input.contractId });
    const mismatch = currencyMismatch(this.input.currency, contract);
    if (mismatch) throw invalidInput('batch', [mismatch]);
    this.state.contractId = contract.contractId;
    this.state.currency = contract.currency;
    this.state.organisationId = contract.organisationId;
    if (this.input.coverage) await this.planner.planCoverage(this.input.coverage);
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

  private historyFull(): boolean {
    return historyFull(this.historyLimit, MAX_HISTORY_BYTES);
  }

  /**
   * Lets running purchases end (their results belong to this run), then carries the state into a new run. Returns
   * only when a cancel comes meanwhile: the caller's loop ends, and the run stops its purchases.
   */
  private async drainAndContinueAsNew(): Promise<void> {
    this.phase = 'DRAINING';
    if (this.stopsWhileDraining) {
      await condition(() => this.window.size === 0 || this.state.cancelReason !== null);
      if (this.state.cancelReason !== null) return;
    } else await this.window.drained();
    await this.rows.storeFullPages();
    await this.notifier.drained();
    await condition(allHandlersFinished);
    const s = this.state;
    let carried: BatchCarried = { ...s, runs: s.runs + 1 };
    if (jsonBytes(s.queue) > INLINE_BYTES) {
      // A long queue of planned items goes to pages of its own; the next run reads it back first.
      carried = { ...carried, queue: [], storedQueue: await this.planner.storeQueue(s.queue, `queue-${s.runs}`) };
    }
    // An inline item list goes on from where this run stopped; a stored one keeps its index.
    const rest = this.input.items?.slice(s.nextIndex);
    if (rest) carried.nextIndex = 0;
    return continueAsNew<typeof batchPurchaseWorkflow>({ ...this.input, ...(rest ? { items: rest } : {}), carried });
  }

  // --- reporting -------------------------------------------------------------------------------

  private progress(): BatchProgress {
    const s = this.state;
    return {
      batchId: this.input.batchId,
      phase: this.phase,
      counts: { ...s.counts },
      examined: s.examined,
      inputExhausted: s.exhausted,
      queued: s.queue.length,
      inFlight: this.window.inFlight(),
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
