/**
 * The money checks before an order, pure: whether a quote is over the purchase's budget, what an approval wait
 * came to, and the currency check a purchase and a batch make against their contract.
 */
import { itemKey } from './item-key';
import { compare } from './money';
import type { ApprovalDecision, ApprovalState, Budget, PurchaseEnd, Quote } from './purchase-types';
import { formatDuration } from './duration';

/** Why the quote is over the budget (its total, or a line over its own most), or null when it is within it. */
export function overBudget(quote: Quote, budget: Budget | undefined): string | null {
  if (!budget) return null;
  if (compare(quote.total, budget.maxTotal) > 0) {
    return `total ${quote.total} ${quote.currency} is over the budget of ${budget.maxTotal} ${quote.currency}`;
  }
  for (const line of quote.lineItems) {
    const most = budget.maxLinePrices?.[itemKey(line)];
    if (most !== undefined && compare(line.price, most) > 0) {
      return `${itemKey(line)} costs ${line.price} ${quote.currency}, over the ${most} ${quote.currency} planned for it`;
    }
  }
  return null;
}

/** What an approval wait came to: the approval state and, unless approved, how the purchase ends and why. */
export function approvalOutcome(
  over: string,
  decision: ApprovalDecision | null,
  timeoutMs: number,
): { approval: ApprovalState; end?: { end: PurchaseEnd; reason: string } } {
  if (decision === null) {
    return {
      approval: 'TIMED_OUT',
      end: { end: 'REJECTED', reason: `${over}; no approval within ${formatDuration(timeoutMs)}` },
    };
  }
  if (!decision.approved) {
    const reason = `${over}; approval denied${decision.note ? `: ${decision.note}` : ''}`;
    return { approval: 'DENIED', end: { end: 'REJECTED', reason } };
  }
  return { approval: 'APPROVED' };
}

/** Why a budget's currency cannot be used with this contract, or null when it can (or none is given). */
export function currencyMismatch(
  wanted: string | undefined,
  contract: { contractId: number; currency: string },
): string | null {
  return wanted && wanted !== contract.currency
    ? `budget currency ${wanted} differs from contract ${contract.contractId}'s currency ${contract.currency}`
    : null;
}
