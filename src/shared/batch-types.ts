/**
 * Data that crosses the batch workflow boundary: batch input, per-item outcomes, progress and result.
 * Pure types and constants only, shared by the batch workflow, its activities and its clients.
 */
import type { CoveragePlanRecord, CoverageProgress, CoverageRequest } from './coverage-types';
import type { DeliverOptions, DeliveryState } from './delivery-types';
import type { LineItem, LineItemInput, PollSchedule } from './purchase-types';
import type { StoredList } from './stored-pages';

export const ITEM_OUTCOMES = [
  'PAID',
  'CANCELLED',
  'EXPIRED',
  'FAILED',
  'SKIPPED_BUDGET',
  'SKIPPED_PRICE',
  'SKIPPED_LIMIT',
  'ALREADY_OWNED',
  'IN_FLIGHT',
] as const;
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

/** The STAC search a batch buys from (the catalog's own request fields, plus a cap on the items). */
export interface BatchSearch {
  collections?: string[];
  bbox?: [number, number, number, number];
  intersects?: { type: string; coordinates: unknown[] };
  datetime?: string;
  query?: Record<string, Record<string, number>>;
  maxItems?: number;
  /**
   * A search too large to carry in a workflow's input (a large `intersects`): its other fields as JSON text in
   * stored pages, merged under the fields given here when a page of the search is read.
   */
  stored?: StoredList;
}

export interface BatchInput {
  /** The batch id; equal to the workflow id. */
  batchId: string;
  /** Exactly one of search, items, storedItems and coverage. */
  search?: BatchSearch;
  /** An item list small enough to carry inline (INLINE_BYTES of JSON at most). */
  items?: LineItemInput[];
  /** A larger item list, in stored pages (`startBatch` stores one that does not fit inline). */
  storedItems?: StoredList;
  /** Cover an area of interest: the batch plans which scenes (or parts of them) to buy, then buys them. */
  coverage?: CoverageRequest;
  /** Decimal string, in the contract's currency: the most the whole batch may spend. */
  budget: string;
  currency?: string;
  maxPricePerItem?: string;
  itemsPerOrder?: number;
  concurrency?: number;
  contractId?: number;
  deliver?: DeliverOptions;
  /** Where the batch's events and its purchases' are posted (`--notify`), besides the worker's default. */
  notify?: string[];
  /** Timings passed on to each purchase (tests make them short). */
  activityTimeoutMs?: number;
  poll?: PollSchedule;
  paymentWindowMs?: number;
  /** Items examined per planning step (one search page or one slice of the item list). */
  chunkSize?: number;
  /** Events after which the batch drains its running purchases and continues as new. */
  historyEventLimit?: number;
  /**
   * Set by `dcp schedule`: this run's id is its workflow id (the schedule makes it unique) and its search
   * window is the `windowMs` before the run's scheduled time (see `startScheduledRun` in the batch workflow).
   */
  schedule?: { windowMs: number };
  /** The schedule a run belongs to (set by the run from its schedule's id): its purchases carry it for limits. */
  scheduleId?: string;
  /** Set only by continue-as-new. */
  carried?: BatchCarried;
}

export const DEFAULT_ITEMS_PER_ORDER = 1;
export const DEFAULT_BATCH_CONCURRENCY = 10;
export const DEFAULT_CHUNK_SIZE = 500;
export const DEFAULT_BATCH_HISTORY_EVENT_LIMIT = 5_000;
export const MAX_ITEMS_PER_ORDER = 500;
export const MAX_BATCH_CONCURRENCY = 200;

/** One item of the batch report: what became of it, at what price, in which order. */
export interface ItemReport {
  collection: string;
  item: string;
  outcome: ItemOutcome;
  price: string | null;
  orderId: string | null;
  reason: string | null;
  delivery: DeliveryState | null;
}

/** What the batch carries into its next run: where the input stands, money so far, and the rows. */
export interface BatchCarried {
  startedAt: string;
  runs: number;
  contractId: number;
  currency: string;
  /** Search: the next page's cursor (null when no page was read yet); items: index of the next item. */
  cursor: string | null;
  nextIndex: number;
  exhausted: boolean;
  examined: number;
  reserved: string;
  spent: string;
  nextGroup: number;
  organisationId: number | null;
  /** Items priced and fitted but not yet ordered; stored in pages when large, and read back by the next run. */
  queue: PlannedItem[];
  storedQueue?: StoredList;
  /** The report: rows already stored in pages, then the rows of the page being filled (PAGE_BYTES at most). */
  rowPages: StoredList;
  rows: PackedRow[];
  /** Rows by outcome, all of them (stored or not). */
  counts: Record<ItemOutcome, number>;
  cancelReason: string | null;
  /** Why planning could not see what the organisation bought outside this product (absent in older runs). */
  ownershipUnknown?: string;
  /** A coverage batch's plan, once made (its picks in stored pages), and the picks examined so far. */
  coverage?: CoveragePlanRecord;
  nextPick?: number;
  /** AOI km² newly covered by picks bought or owned so far. */
  coveredKm2?: number;
}

export interface PlannedItem extends LineItem {
  price: string;
  /** A coverage pick: the area of interest it newly covers, counted once it is bought or owned. */
  coverKm2?: number;
}

/** What planning learns about one examined item. */
export interface ExaminedItem {
  collection: string;
  item: string;
  level: string | null;
  price: string | null;
  /** Why it cannot be bought (unknown item, no price), or null. */
  problem: string | null;
  ownedIn: string | null;
  inFlightIn: string | null;
  /** A sub-area to buy (coverage batches), with the project it is bought for. */
  geometry?: LineItem['geometry'];
  projectId?: string;
  /** A coverage pick: the area of interest it newly covers. */
  coverKm2?: number;
}

export interface PlanChunkInput {
  contractId: number;
  /** The batch's workflow task queue, whose claim registries say what purchases own or are buying. */
  claimScope: string;
  search?: BatchSearch & { cursor: string | null; limit: number };
  items?: LineItemInput[];
  /** A slice of a stored item list: `count` items from index `from`. */
  storedItems?: { list: StoredList; from: number; count: number };
  /** When the batch began: PAID orders listed since then (kept by the worker) serve its chunks. */
  batchStartedAt?: string;
}

export interface PlanChunkResult {
  examined: ExaminedItem[];
  /** Search only: the next page's cursor, or null on the last page. */
  nextCursor: string | null;
  /** Set when the organisation's PAID orders could not be listed: why ownership outside this product is unknown. */
  ownershipUnknown?: string;
}

export type BatchPhase = 'PLANNING' | 'BUYING' | 'DRAINING' | 'COMPLETED' | 'CANCELLED';

export interface BatchProgress {
  batchId: string;
  phase: BatchPhase;
  counts: Record<ItemOutcome, number>;
  /** Items examined so far, and whether the input has been read to its end. */
  examined: number;
  inputExhausted: boolean;
  /** Items waiting for a purchase slot, and items in running purchases. */
  queued: number;
  inFlight: number;
  budget: string;
  currency: string | null;
  spent: string;
  reserved: string;
  runs: number;
  startedAt: string;
  cancelReason: string | null;
  /**
   * Set when planning could not list the organisation's PAID orders: items bought outside this product (not
   * through its purchases, whose claims are always checked) may be bought again. Says why.
   */
  ownershipUnknown: string | null;
  /** Coverage batches: coverage so far against the plan. */
  coverage?: CoverageProgress;
}

export interface BatchResult extends Omit<BatchProgress, 'phase' | 'queued' | 'inFlight'> {
  end: 'COMPLETED' | 'CANCELLED';
  endedAt: string;
  /**
   * The report, one compact row per examined item: the rows in stored pages, then the last rows; a client reads
   * them all with `readBatchItems` (src/workflow-client/batch-client.ts).
   */
  rowPages: StoredList;
  rows: PackedRow[];
  /** Coverage batches: the plan the batch bought by (its picks in stored pages). */
  coveragePlan?: CoveragePlanRecord;
}

/**
 * An ItemReport as the batch carries it through continue-as-new and returns it:
 * `[collection, item, outcome, price, orderId, reason, delivery]`, with a skip's shared reason left out. Positional
 * only on the wire: the same 10,000 rows as named objects would make the batch's result about half as big again.
 */
export type PackedRow = [
  string,
  string,
  ItemOutcome,
  string | null,
  string | null,
  string | null,
  DeliveryState | null,
];

/** Skips share one reason each, so packed rows leave it out and unpacking fills it in. */
export const SKIP_REASONS = {
  SKIPPED_PRICE: 'price is over the per-item limit',
  SKIPPED_BUDGET: 'price does not fit the remaining budget (items are fitted in input order)',
} as const satisfies Partial<Record<ItemOutcome, string>>;

const sharedReason = (outcome: ItemOutcome): string | undefined =>
  (SKIP_REASONS as Partial<Record<ItemOutcome, string>>)[outcome];

export function packRow(r: ItemReport): PackedRow {
  const reason = r.reason === sharedReason(r.outcome) ? null : r.reason;
  return [r.collection, r.item, r.outcome, r.price, r.orderId, reason, r.delivery];
}

export function unpackRow(row: PackedRow): ItemReport {
  const [collection, item, outcome, price, orderId, reason, delivery] = row;
  return { collection, item, outcome, price, orderId, reason: reason ?? sharedReason(outcome) ?? null, delivery };
}

export function noCounts(): Record<ItemOutcome, number> {
  return Object.fromEntries(ITEM_OUTCOMES.map((outcome) => [outcome, 0])) as Record<ItemOutcome, number>;
}

/** What a new batch starts from (a continued run starts from what the last one carried). */
export function startingState(
  input: Pick<BatchInput, 'batchId' | 'contractId' | 'currency'>,
  startedAt: string,
): BatchCarried {
  return {
    startedAt,
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
}
