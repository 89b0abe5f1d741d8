/**
 * The payment wait's decisions, pure: when to look at an unpaid order next, and what an order seen now means for
 * the purchase (paid, cancelled by DataCosmos, expired at its deadline, or wait on).
 */
import type { OrderSummary, PollSchedule } from './purchase-types';

export interface NextPoll {
  /** How long to wait before the next look: the schedule's interval, never past a deadline still ahead. */
  sleepMs: number;
  /** The interval after that one: grown by the factor, up to the cap. */
  nextPollMs: number;
}

/**
 * After a payment notice (`paymentCompleted`) whose look still found the order UNPAID, the schedule starts again
 * from its first interval: DataCosmos may record a payment a moment after whoever sent the notice learnt of it, and
 * the wait should see it then, not after an interval grown over hours.
 */
export function nextPoll(
  schedule: PollSchedule,
  currentMs: number,
  remainingMs: number,
  afterNotice = false,
): NextPoll {
  const intervalMs = afterNotice ? schedule.firstMs : currentMs;
  return {
    sleepMs: remainingMs > 0 ? Math.min(intervalMs, remainingMs) : intervalMs,
    nextPollMs: Math.min(Math.round(intervalMs * schedule.factor), schedule.capMs),
  };
}

export type PaymentState = 'PAID' | 'CANCELLED' | 'EXPIRED' | 'WAITING';

/**
 * What the order seen by the last poll (null: it could not be read) means. Only an order read UNPAID at or after
 * the deadline expires: one whose poll failed (the API down at the deadline), or while the purchase needs
 * attention, is polled on until it can be read, since it may have been paid in the window's last minutes; so is one
 * in a status DataCosmos does not document (a payment under way, say), or whose status the reply left out.
 * `unreadExpires`: executions from before that rule expired on a failed poll too, and replay as they ran;
 * `unpaidOnly` false: executions from before they expired on any status read but PAID and CANCELLED.
 */
export function paymentState(
  order: OrderSummary | null,
  remainingMs: number,
  needsAttention: boolean,
  unreadExpires = false,
  unpaidOnly = true,
): PaymentState {
  if (order?.status === 'PAID') return 'PAID';
  if (order?.status === 'CANCELLED') return 'CANCELLED';
  const expires = order === null ? unreadExpires : !unpaidOnly || order.status === 'UNPAID';
  return remainingMs <= 0 && expires && !needsAttention ? 'EXPIRED' : 'WAITING';
}

/** Why a purchase past its deadline waits on: its order is neither UNPAID nor final. */
export function notFinalPastDeadline(orderId: string, status: string | null): string {
  const as = status === null ? 'of a status the API left out' : `${status}, a status DataCosmos does not document`;
  return `order ${orderId} is ${as}, past the payment deadline: waiting for it to be PAID or CANCELLED`;
}

export function expiredReason(orderId: string, deadline: string, checkoutUrl: string | null): string {
  return (
    `order ${orderId} was still UNPAID at the payment deadline ${deadline}` +
    (checkoutUrl ? `; payment link: ${checkoutUrl}` : '')
  );
}

export function cancelledByDataCosmos(orderId: string): string {
  return `order ${orderId} was cancelled by DataCosmos`;
}

/** Why a purchase whose order the API refuses to show needs attention: the order exists and may be paid. */
export function refusedReadReason(orderId: string, message: string): string {
  return `order ${orderId} cannot be read (the API refuses: ${message}); it may still be paid, so it is not failed`;
}
