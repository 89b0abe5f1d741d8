/**
 * The per-organisation credit ledger. Check and deduction happen in one synchronous step, so
 * concurrent checkouts can never overdraw a balance; the caller awaits the durable commit.
 */
import { covers, difference } from './money';
import { markPaid } from './order-model';
import type { OrderRecord, SimState } from './state';

export function balanceOf(state: SimState, organisation: number): string {
  return state.credits.get(organisation) ?? '0';
}

export function creditsCover(state: SimState, order: OrderRecord): boolean {
  return covers(balanceOf(state, order.organisation_id), order.total);
}

/** Pays the order from credits when they cover its total (PAID, NOT_REQUIRED); null when they do not. */
export function payWithCredits(state: SimState, order: OrderRecord): Promise<void> | null {
  if (!creditsCover(state, order)) return null;
  const balance = balanceOf(state, order.organisation_id);
  const deducted = state.setCredits(order.organisation_id, difference(balance, order.total));
  const paid = markPaid(state, order, 'NOT_REQUIRED', null);
  return Promise.all([deducted, paid]).then(() => undefined);
}
