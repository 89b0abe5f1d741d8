/**
 * The batch's buying decisions, pure and deterministic so the workflow can run them: which examined items
 * are bought, and why the others are not. Items are taken in input order (search order or file order); an
 * item whose price would take the reserved total over the budget is skipped, and later cheaper items may
 * still fit.
 */
import { add, compare } from './money';
import { SKIP_REASONS, type ExaminedItem, type ItemOutcome, type ItemReport, type PlannedItem } from './batch-types';
import { itemKey } from './item-key';

export interface FitState {
  budget: string;
  maxPricePerItem?: string;
  currency: string;
  reserved: string;
  /** Keys already examined in this batch: a repeated item is examined once. */
  seen: Set<string>;
}

export interface FitOutcome {
  planned: PlannedItem[];
  rows: ItemReport[];
}

export function ownedReason(orderId: string | null): string {
  return `already bought in PAID order ${orderId}`;
}

export function inFlightReason(purchaseId: string): string {
  return `being bought by purchase ${purchaseId}`;
}

export function fitChunk(state: FitState, examined: ExaminedItem[]): FitOutcome {
  const planned: PlannedItem[] = [];
  const rows: ItemReport[] = [];
  const skip = (e: ExaminedItem, outcome: ItemOutcome, reason: string, orderId: string | null = null) =>
    rows.push({ collection: e.collection, item: e.item, outcome, price: e.price, orderId, reason, delivery: null });
  for (const e of examined) {
    const key = itemKey(e);
    if (state.seen.has(key)) continue;
    state.seen.add(key);
    if (e.problem !== null || e.price === null || e.level === null) {
      skip(e, 'FAILED', e.problem ?? 'no price');
    } else if (e.ownedIn !== null) {
      skip(e, 'ALREADY_OWNED', ownedReason(e.ownedIn), e.ownedIn);
    } else if (e.inFlightIn !== null) {
      skip(e, 'IN_FLIGHT', inFlightReason(e.inFlightIn));
    } else if (state.maxPricePerItem !== undefined && compare(e.price, state.maxPricePerItem) > 0) {
      skip(e, 'SKIPPED_PRICE', SKIP_REASONS.SKIPPED_PRICE);
    } else if (compare(add(state.reserved, e.price), state.budget) > 0) {
      skip(e, 'SKIPPED_BUDGET', SKIP_REASONS.SKIPPED_BUDGET);
    } else {
      state.reserved = add(state.reserved, e.price);
      const part = e.geometry ? { geometry: e.geometry, projectId: e.projectId } : {};
      const cover = e.coverKm2 !== undefined ? { coverKm2: e.coverKm2 } : {};
      planned.push({ collection: e.collection, item: e.item, level: e.level, price: e.price, ...part, ...cover });
    }
  }
  return { planned, rows };
}
