/**
 * A purchase's status as it changes, pure: its first status (new, or carried from the previous run), what an order
 * or a quote changes in it, why a cancel ended it, its result, and what it carries into a new run.
 */
import type { ItemDelivery } from './delivery-types';
import type {
  CarriedState,
  OrderSummary,
  PurchaseEnd,
  PurchaseInput,
  PurchaseResult,
  PurchaseStatus,
  Quote,
  ResolvedContract,
} from './purchase-types';

export function initialStatus(input: PurchaseInput, now: string): PurchaseStatus {
  const carried = input.carried;
  return {
    purchaseId: input.purchaseId,
    stage: carried ? 'AWAITING_PAYMENT' : 'VALIDATING',
    organisationId: carried?.organisationId ?? null,
    contractId: carried?.contract.contractId ?? input.contractId ?? null,
    batchId: input.batchId ?? null,
    lineItems: carried?.lineItems ?? input.items ?? [],
    total: carried?.total ?? null,
    currency: carried?.contract.currency ?? null,
    budget: input.budget ?? null,
    approval: carried?.approval ?? 'NOT_NEEDED',
    orderId: carried?.order.orderId ?? null,
    orderStatus: carried?.order.status ?? null,
    paymentMethod: carried?.order.paymentMethod ?? null,
    checkoutUrl: carried?.checkoutUrl ?? null,
    polls: carried?.polls ?? 0,
    nextCheckAt: null,
    paymentDeadline: carried?.paymentDeadline ?? null,
    lastError: carried?.lastError ?? null,
    attention: carried?.attention ?? null,
    startedAt: carried?.startedAt ?? input.restarted?.startedAt ?? now,
    updatedAt: now,
    runs: carried?.runs ?? input.restarted?.runs ?? 0,
    // Only when set, so purchases without it keep their exact status and result.
    ...(input.redriveOf ? { redriveOf: input.redriveOf } : {}),
    dropped: carried?.dropped ?? [],
    ...(carried?.spendLimit ? { spendLimit: carried.spendLimit } : {}),
  };
}

export function applyContract(status: PurchaseStatus, contract: ResolvedContract): void {
  status.organisationId = contract.organisationId;
  status.contractId = contract.contractId;
  status.currency = contract.currency;
}

export function applyQuote(status: PurchaseStatus, quote: Quote): void {
  status.lineItems = quote.lineItems;
  status.total = quote.total;
  status.currency = quote.currency;
}

/** What an order seen now changes; true when it is another order than the one known (its id is then published). */
export function applyOrder(status: PurchaseStatus, order: OrderSummary): boolean {
  const changed = order.orderId !== status.orderId;
  status.orderId = order.orderId;
  status.orderStatus = order.status ?? status.orderStatus;
  status.paymentMethod = order.paymentMethod ?? status.paymentMethod;
  status.checkoutUrl = order.checkoutUrl ?? status.checkoutUrl;
  if (order.total !== null) status.total = order.total;
  return changed;
}

/** Why a purchase completed although a cancel arrived: its order was paid before the cancel could stop it. */
export function paidBeforeCancelReason(cancelReason: string, status: PurchaseStatus): string {
  return `order ${status.orderId} was paid before the cancel (${cancelReason}) could stop it`;
}

/** Whether the order create's outcome is unsettled: no order id, and the purchase needs attention for it. */
function createUnsettled(status: PurchaseStatus): boolean {
  return status.orderId === null && status.attention !== null;
}

/** Why a cancel ends the purchase, with what became of its order. */
export function cancelledReason(cancelReason: string, status: PurchaseStatus): string {
  if (status.orderId) return `${cancelReason}; order ${status.orderId} was left ${status.orderStatus ?? 'as it was'}`;
  return createUnsettled(status)
    ? `${cancelReason}; whether the order create reached DataCosmos was never settled: check its orders for these items`
    : `${cancelReason}; no order was created`;
}

export function resultOf(
  s: PurchaseStatus,
  end: PurchaseEnd,
  reason: string | null,
  delivery?: ItemDelivery[],
): PurchaseResult {
  return {
    purchaseId: s.purchaseId,
    end,
    reason,
    organisationId: s.organisationId,
    contractId: s.contractId,
    orderId: s.orderId,
    orderStatus: s.orderStatus,
    total: s.total,
    currency: s.currency,
    paymentMethod: s.paymentMethod,
    checkoutUrl: s.checkoutUrl,
    lineItems: s.lineItems,
    polls: s.polls,
    startedAt: s.startedAt,
    endedAt: s.updatedAt,
    ...(delivery ? { delivery } : {}),
    ...(s.redriveOf ? { redriveOf: s.redriveOf } : {}),
    ...(s.dropped.length > 0 ? { dropped: s.dropped } : {}),
    ...(s.spendLimit ? { spendLimit: s.spendLimit } : {}),
    ...(createUnsettled(s) ? { createUnsettled: true as const } : {}),
  };
}

/** What a purchase waiting for payment (an order, a contract, a deadline) carries into its next run. */
export function carriedStateOf(
  s: PurchaseStatus,
  wait: {
    contract: ResolvedContract;
    claimed: string[];
    spendReserved: boolean;
    nextPollMs: number;
    paymentWaitStartedAt: number | null;
  },
): CarriedState {
  const orderId = s.orderId as string;
  return {
    startedAt: s.startedAt,
    organisationId: s.organisationId as number,
    contract: wait.contract,
    lineItems: s.lineItems as CarriedState['lineItems'],
    total: s.total as string,
    order: {
      orderId,
      status: s.orderStatus,
      paymentMethod: s.paymentMethod,
      checkoutUrl: s.checkoutUrl,
      total: s.total,
      currency: s.currency,
    },
    checkoutUrl: s.checkoutUrl,
    paymentDeadline: s.paymentDeadline as string,
    polls: s.polls,
    nextPollMs: wait.nextPollMs,
    paymentWaitStartedAt: wait.paymentWaitStartedAt ?? undefined,
    runs: s.runs + 1,
    lastError: s.lastError ?? undefined,
    claimed: wait.claimed,
    dropped: s.dropped,
    // Only when held, so payment waits without a reservation carry exactly what they did.
    ...(wait.spendReserved ? { spendReserved: true } : {}),
    ...(s.attention ? { attention: s.attention } : {}),
    ...(s.approval !== 'NOT_NEEDED' ? { approval: s.approval } : {}),
    ...(s.spendLimit ? { spendLimit: s.spendLimit } : {}),
  };
}
