/**
 * Data that crosses the workflow boundary: purchase input, status, result and activity DTOs.
 * Pure types and constants only, so workflow code, activities and clients share them.
 */
import type { DeliverOptions, ItemDelivery } from './delivery-types';

export const TASK_QUEUE = 'datacosmos-purchase';

/**
 * ALREADY_OWNED and IN_FLIGHT: nothing was left to buy, every item being owned (a PAID order holds it) or held by
 * another purchase; no order was created.
 */
export const PURCHASE_ENDS = [
  'COMPLETED',
  'CANCELLED',
  'EXPIRED',
  'REJECTED',
  'FAILED',
  'ALREADY_OWNED',
  'IN_FLIGHT',
] as const;
export type PurchaseEnd = (typeof PURCHASE_ENDS)[number];

/** Every stage, in the order a purchase passes them, its ends last (`dcp list --stage` offers them). */
export const PURCHASE_STAGES = [
  'VALIDATING',
  'RESOLVING_CONTRACT',
  'CLAIMING',
  'PRICING',
  'AWAITING_APPROVAL',
  'ORDERING',
  'CHECKOUT',
  'AWAITING_PAYMENT',
  // Rests until an operator acts or a later try settles it: an order's fate that the API does not tell.
  'NEEDS_ATTENTION',
  'DELIVERING',
  ...PURCHASE_ENDS,
] as const;
export type PurchaseStage = (typeof PURCHASE_STAGES)[number];

/** An item a purchase did not buy because another purchase owns or holds it. */
export interface DroppedItem {
  collection: string;
  item: string;
  outcome: 'ALREADY_OWNED' | 'IN_FLIGHT';
  /** The purchase that owns or holds it. */
  purchaseId: string;
  orderId: string | null;
}

/**
 * An order's status as DataCosmos reports it: UNPAID, PAID or CANCELLED are documented; any other value is kept
 * as it came and treated as not final (the purchase keeps checking).
 */
export const ORDER_STATUSES = ['UNPAID', 'PAID', 'CANCELLED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number] | (string & {});
/** CARD, BANK_TRANSFER or NOT_REQUIRED are documented; any other value is shown as it came. */
export type PaymentMethod = 'CARD' | 'BANK_TRANSFER' | 'NOT_REQUIRED' | (string & {});

export interface GeoJsonGeometry {
  type: 'Point' | 'MultiPoint' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon';
  coordinates: unknown[];
  [member: string]: unknown;
}

export interface LineItemInput {
  collection: string;
  item: string;
  /** The item's processing level; looked up from the catalog when omitted. */
  level?: string;
  geometry?: GeoJsonGeometry;
  projectId?: string;
}

export interface LineItem extends LineItemInput {
  level: string;
}

export interface PricedLineItem extends LineItem {
  price: string;
  currency: string;
}

export interface Budget {
  /** Decimal string, in the contract's currency. */
  maxTotal: string;
  currency?: string;
  /** Over budget: end REJECTED at once, or wait for an `approve` update up to approvalTimeoutMs. */
  approval: 'reject' | 'wait';
  approvalTimeoutMs?: number;
  /**
   * The most each line may cost, by item key (`COLLECTION/ITEM`), decimal: a batch's planned prices, so a price that
   * rose since planning is not paid even where another item of the order got cheaper or was dropped.
   */
  maxLinePrices?: Record<string, string>;
}

export interface PollSchedule {
  firstMs: number;
  factor: number;
  capMs: number;
}

export const DEFAULT_PAYMENT_WINDOW_MS = 72 * 3600_000;
export const DEFAULT_APPROVAL_TIMEOUT_MS = 24 * 3600_000;
export const DEFAULT_POLL: PollSchedule = { firstMs: 15_000, factor: 1.5, capMs: 5 * 60_000 };
/** Continue-as-new well before Temporal's own suggestion, so every run stays small. */
export const DEFAULT_HISTORY_EVENT_LIMIT = 1_500;
export const DEFAULT_ACTIVITY_TIMEOUT_MS = 60_000;
export const MAX_LINE_ITEMS = 500;

export interface License {
  license_link: string;
  license_name: string;
  license_version: string;
  accepted: true;
}

export interface PurchaseInput {
  /** The purchase key; equal to the workflow id. */
  purchaseId: string;
  items: LineItemInput[];
  /** Default: the organisation's default contract. */
  contractId?: number;
  budget?: Budget;
  paymentWindowMs?: number;
  poll?: PollSchedule;
  batchId?: string;
  licenses?: License[];
  /** After PAID, download every asset of each item into this worker-side directory. */
  deliver?: DeliverOptions;
  /** Start-to-close timeout of each DataCosmos activity attempt. */
  activityTimeoutMs?: number;
  /** Events after which a payment wait (or a wait for claimed items) continues as new. */
  historyEventLimit?: number;
  /** Set only by continue-as-new: the state carried into the next run. */
  carried?: CarriedState;
  /**
   * Set only by continue-as-new from a wait for claimed items: the purchase starts over (its claims are its own
   * again), keeping when it began and how many runs it has had.
   */
  restarted?: { startedAt: string; runs: number };
  /** Set by `dcp redrive`: the FAILED or EXPIRED purchase this one is a new attempt of. */
  redriveOf?: string;
  /**
   * Items another purchase holds: `drop` (default) buys the rest and reports them IN_FLIGHT; `wait` waits until
   * the holder ends (then buys them, or drops them as ALREADY_OWNED if it bought them).
   */
  whenClaimed?: 'drop' | 'wait';
  /** The schedule whose run started this purchase: limits scoped to that schedule count it. */
  scheduleId?: string;
  /** Where its events are posted (`--notify`), besides the worker's default (docs/batches.md, "Notifications"). */
  notify?: string[];
}

/** What a payment wait carries across continue-as-new (same workflow id, queries and signals). */
export interface CarriedState {
  startedAt: string;
  organisationId: number;
  contract: ResolvedContract;
  lineItems: PricedLineItem[];
  total: string;
  order: OrderSummary;
  checkoutUrl: string | null;
  paymentDeadline: string;
  polls: number;
  nextPollMs: number;
  /** Epoch ms when the payment wait began (absent in runs carried before it was recorded). */
  paymentWaitStartedAt?: number;
  runs: number;
  lastError?: string;
  /** The items whose claims this purchase holds (`COLLECTION/ITEM`), settled when it ends. */
  claimed?: string[];
  dropped?: DroppedItem[];
  /** Whether the purchase holds a reservation in its target's spend ledger, settled when it ends. */
  spendReserved?: boolean;
  /** What needs attention, and since when: a wait in NEEDS_ATTENTION goes on in the next run as it was. */
  attention?: Attention;
  /** An approval given (or refused) before the wait, and the spend limit that asked for it. */
  approval?: ApprovalState;
  spendLimit?: string;
}

export interface ResolvedContract {
  contractId: number;
  name: string;
  currency: string;
  organisationId: number;
}

export interface Quote {
  lineItems: PricedLineItem[];
  total: string;
  currency: string;
}

export interface OrderSummary {
  orderId: string;
  /** Null while unknown: the create reply named the order but not its status, and it could not be read yet. */
  status: OrderStatus | null;
  paymentMethod: PaymentMethod | null;
  checkoutUrl: string | null;
  total: string | null;
  currency: string | null;
}

export interface CreateOrderInput {
  contractId: number;
  lineItems: LineItem[];
  /** ISO time the purchase began: a retried create adopts a matching order created since then. */
  notBefore: string;
  licenses?: License[];
  /** A create tried again after its outcome was unknown: look for the order before creating, from the first attempt. */
  lookFirst?: boolean;
}

export type ApprovalState = 'NOT_NEEDED' | 'PENDING' | 'APPROVED' | 'DENIED' | 'TIMED_OUT';

export interface PurchaseStatus {
  purchaseId: string;
  stage: PurchaseStage;
  organisationId: number | null;
  contractId: number | null;
  batchId: string | null;
  lineItems: Array<LineItemInput | PricedLineItem>;
  total: string | null;
  currency: string | null;
  budget: Budget | null;
  approval: ApprovalState;
  orderId: string | null;
  orderStatus: OrderStatus | null;
  paymentMethod: PaymentMethod | null;
  checkoutUrl: string | null;
  polls: number;
  nextCheckAt: string | null;
  paymentDeadline: string | null;
  lastError: string | null;
  /** Set while the purchase needs attention (stage NEEDS_ATTENTION). */
  attention: Attention | null;
  startedAt: string;
  updatedAt: string;
  /** Number of continue-as-new runs so far (0 in the first run). */
  runs: number;
  /** The purchase this one re-drives, when started by `dcp redrive`. */
  redriveOf?: string;
  /** Items left out because another purchase owns or holds them. */
  dropped: DroppedItem[];
  /** The spend limit that refused the purchase's total (set only then). */
  spendLimit?: string;
}

export interface PurchaseResult {
  purchaseId: string;
  end: PurchaseEnd;
  reason: string | null;
  organisationId: number | null;
  contractId: number | null;
  orderId: string | null;
  orderStatus: OrderStatus | null;
  total: string | null;
  currency: string | null;
  paymentMethod: PaymentMethod | null;
  checkoutUrl: string | null;
  lineItems: Array<LineItemInput | PricedLineItem>;
  polls: number;
  startedAt: string;
  endedAt: string;
  /** With `deliver`: how each item's files were delivered. */
  delivery?: ItemDelivery[];
  /** The purchase this one re-drives, when started by `dcp redrive`. */
  redriveOf?: string;
  /** Items left out because another purchase owns or holds them (absent when none). */
  dropped?: DroppedItem[];
  /** The spend limit that refused the purchase's total (absent unless one did). */
  spendLimit?: string;
  /**
   * Set when it ended with its order create unsettled (no order id, NEEDS_ATTENTION): an order may exist, paid even,
   * so a batch keeps its money.
   */
  createUnsettled?: true;
}

/** Why a purchase is in NEEDS_ATTENTION, since when, and what an operator can do. */
export interface Attention {
  reason: string;
  resolve: string;
  since: string;
}

export interface AdoptOrder {
  orderId: string;
}

export interface ApprovalDecision {
  approved: boolean;
  note?: string;
}

export interface DeadlineExtension {
  byMs: number;
}
