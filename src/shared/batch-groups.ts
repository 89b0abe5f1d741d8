/**
 * A batch's orders, pure: the purchase one group of planned items becomes, and what that purchase's end means for
 * the batch's money (the planned total is released; what was paid is spent) and for each item's row.
 */
import { add, subtract } from './money';
import type { BatchInput, ItemOutcome, ItemReport, PlannedItem } from './batch-types';
import { droppedReason } from './claim-rules';
import { itemKey } from './item-key';
import type { PurchaseEnd, PurchaseInput, PurchaseResult } from './purchase-types';

const PURCHASE_OUTCOME: Record<PurchaseEnd, ItemOutcome> = {
  COMPLETED: 'PAID',
  CANCELLED: 'CANCELLED',
  EXPIRED: 'EXPIRED',
  REJECTED: 'FAILED',
  FAILED: 'FAILED',
  ALREADY_OWNED: 'ALREADY_OWNED',
  IN_FLIGHT: 'IN_FLIGHT',
};

export function plannedTotal(group: PlannedItem[]): string {
  return add(...group.map((line) => line.price));
}

/**
 * The purchase of a group: its planned total is its own budget, and each item's planned price its own most, so a price
 * that rose since planning is never paid (nor one over `--max-price`, which planning applied).
 */
export function groupPurchaseInput(
  batch: BatchInput,
  contract: { contractId: number; currency: string },
  purchaseId: string,
  group: PlannedItem[],
): PurchaseInput {
  return {
    purchaseId,
    items: group.map(({ collection, item, level, geometry, projectId }) => ({
      collection,
      item,
      level,
      ...(geometry ? { geometry, projectId } : {}),
    })),
    contractId: contract.contractId,
    budget: {
      maxTotal: plannedTotal(group),
      currency: contract.currency,
      approval: 'reject',
      maxLinePrices: Object.fromEntries(group.map((line) => [itemKey(line), line.price])),
    },
    batchId: batch.batchId,
    ...(batch.scheduleId ? { scheduleId: batch.scheduleId } : {}),
    ...(batch.deliver ? { deliver: batch.deliver } : {}),
    ...(batch.notify ? { notify: batch.notify } : {}),
    ...(batch.activityTimeoutMs ? { activityTimeoutMs: batch.activityTimeoutMs } : {}),
    ...(batch.poll ? { poll: batch.poll } : {}),
    ...(batch.paymentWindowMs ? { paymentWindowMs: batch.paymentWindowMs } : {}),
  };
}

export interface Money {
  reserved: string;
  spent: string;
}

/** A row, with the area of the area of interest it covers when it is a coverage pick. */
export interface GroupRow {
  row: ItemReport;
  coverKm2?: number;
}

/** The report row of a planned item: its price as planned, and whatever else is known. */
export function rowOf(
  line: PlannedItem,
  outcome: ItemOutcome,
  known: Partial<Pick<ItemReport, 'orderId' | 'reason' | 'delivery'>>,
): ItemReport {
  const { orderId = null, reason = null, delivery = null } = known;
  return { collection: line.collection, item: line.item, outcome, price: line.price, orderId, reason, delivery };
}

/**
 * What a group's purchase ending means: the money after it, and one row per item (dropped ones say why). With
 * `keepsOpenOrders`, a purchase that ended CANCELLED or FAILED leaving an order that may still be paid (one neither
 * cancelled nor paid, or a create never settled) keeps its planned money reserved for the rest of the batch:
 * released, it bought other items, and the batch went over its budget once that order was paid.
 */
export function groupEnded(
  group: PlannedItem[],
  money: Money,
  result: PurchaseResult,
  keepsOpenOrders = false,
): Money & { rows: GroupRow[] } {
  const planned = plannedTotal(group);
  // A purchase a spend limit refused: its items were skipped, as ones over the batch's own budget are.
  const outcome = result.end === 'REJECTED' && result.spendLimit ? 'SKIPPED_LIMIT' : PURCHASE_OUTCOME[result.end];
  const paid = outcome === 'PAID';
  const open = keepsOpenOrders && leftOpen(result);
  const after = {
    reserved: add(subtract(money.reserved, planned), paid ? (result.total ?? planned) : open ? planned : '0'),
    spent: paid ? add(money.spent, result.total ?? planned) : money.spent,
  };
  const prices = new Map(
    result.lineItems.map((line) => [itemKey(line), 'price' in line ? (line.price as string) : null]),
  );
  const deliveries = new Map((result.delivery ?? []).map((d) => [itemKey(d), d]));
  const dropped = new Map((result.dropped ?? []).map((d) => [itemKey(d), d]));
  const rows = group.map((line): GroupRow => {
    const other = dropped.get(itemKey(line));
    const delivery = deliveries.get(itemKey(line));
    if (other) {
      // An item found owned is delivered all the same: a failed delivery of it must show (and set the exit code).
      const reason = [droppedReason(other), delivery?.reason].filter(Boolean).join('; ');
      const known = { orderId: other.orderId, reason, delivery: delivery?.state ?? null };
      return { row: rowOf(line, other.outcome, known), coverKm2: line.coverKm2 };
    }
    const reason = delivery?.reason ?? (paid ? null : result.reason);
    const row = rowOf(line, outcome, { orderId: result.orderId, reason, delivery: delivery?.state ?? null });
    return { row: { ...row, price: prices.get(itemKey(line)) ?? line.price }, coverKm2: line.coverKm2 };
  });
  return { ...after, rows };
}

/** Whether a purchase that ended without paying (EXPIRED is past its deadline) left an order that may still be paid. */
function leftOpen(result: PurchaseResult): boolean {
  if (result.end !== 'CANCELLED' && result.end !== 'FAILED') return false;
  if (result.createUnsettled) return true;
  return result.orderId !== null && result.orderStatus !== 'CANCELLED' && result.orderStatus !== 'PAID';
}

/** A group whose purchase could not run (it failed as a workflow): its money is released, its items FAILED. */
export function groupFailed(group: PlannedItem[], money: Money, reason: string): Money & { rows: GroupRow[] } {
  return {
    reserved: subtract(money.reserved, plannedTotal(group)),
    spent: money.spent,
    rows: group.map((line) => ({ row: rowOf(line, 'FAILED', { reason }) })),
  };
}
