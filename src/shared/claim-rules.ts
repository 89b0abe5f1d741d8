/**
 * A purchase's claim decisions, pure: which of its items it got, which another purchase owns or holds (dropped,
 * or waited for), how the purchase ends when nothing is left to buy, and how its claims are left when it ends.
 */
import { inFlightReason, ownedReason } from './batch-plan';
import type { ClaimGrant, ClaimSettlement } from './claim-types';
import { itemKey } from './item-key';
import type { DroppedItem, LineItemInput, PurchaseEnd } from './purchase-types';

export interface SortedGrants {
  /** Keys of the items claimed for this purchase. */
  granted: string[];
  /** Items left out, owned or held by another purchase. */
  dropped: DroppedItem[];
  /** Items another purchase holds, to ask for again (`whenClaimed: 'wait'`); empty when none is waited for. */
  waitFor: LineItemInput[];
}

type Refusal = Exclude<ClaimGrant, { granted: true }>;

export function sortGrants(
  wanted: LineItemInput[],
  grants: ClaimGrant[],
  whenClaimed: 'drop' | 'wait' | undefined,
): SortedGrants {
  const byItem = new Map(grants.map((grant) => [grant.item, grant]));
  const refusal = (line: LineItemInput) => {
    const grant = byItem.get(itemKey(line));
    return grant && !grant.granted ? grant : null;
  };
  const owned = wanted.filter((line) => refusal(line)?.outcome === 'ALREADY_OWNED');
  const held = wanted.filter((line) => refusal(line)?.outcome === 'IN_FLIGHT');
  const waitFor = whenClaimed === 'wait' ? held : [];
  const dropped = [...owned, ...(waitFor.length > 0 ? [] : held)].map((line) =>
    droppedItem(line, refusal(line) as Refusal),
  );
  return { granted: grants.filter((grant) => grant.granted).map((grant) => grant.item), dropped, waitFor };
}

function droppedItem(line: LineItemInput, refusal: Refusal): DroppedItem {
  return {
    collection: line.collection,
    item: line.item,
    outcome: refusal.outcome,
    purchaseId: refusal.holder,
    orderId: refusal.orderId,
  };
}

export function waitingForHeld(held: LineItemInput[]): string {
  return `waiting for ${held.length} item(s) held by other purchases: ${held.map(itemKey).join(', ')}`;
}

/** Why an item was left out: the order that owns it, or the purchase buying it. */
export function droppedReason(d: Pick<DroppedItem, 'outcome' | 'orderId' | 'purchaseId'>): string {
  return d.outcome === 'ALREADY_OWNED' ? ownedReason(d.orderId) : inFlightReason(d.purchaseId);
}

/** When no item is left to buy: ALREADY_OWNED if another purchase owns them all, else IN_FLIGHT; with the reasons. */
export function nothingLeftToBuy(dropped: DroppedItem[]): { end: PurchaseEnd; reason: string } {
  const ownedAll = dropped.every((d) => d.outcome === 'ALREADY_OWNED');
  return {
    end: ownedAll ? 'ALREADY_OWNED' : 'IN_FLIGHT',
    reason: dropped.map((d) => `${itemKey(d)} ${droppedReason(d)}`).join('; '),
  };
}

/**
 * How an ending purchase leaves its claims: OWNED with a PAID order; watched through an order that may still be
 * paid (its registry reads it now and then); released when no order was made or it was cancelled.
 */
export function settlementFor(end: PurchaseEnd, orderId: string | null, orderStatus: string | null): ClaimSettlement {
  if (end === 'COMPLETED' && orderId) return { outcome: 'OWNED', orderId };
  return orderId && orderStatus !== 'CANCELLED' ? { outcome: 'WATCH', orderId } : { outcome: 'RELEASED' };
}
