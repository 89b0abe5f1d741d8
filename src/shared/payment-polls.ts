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

export function nextPoll(schedule: PollSchedule, currentMs: number, remainingMs: number): NextPoll {
  return {
    sleepMs: remainingMs > 0 ? Math.min(currentMs, remainingMs) : currentMs,
    nextPollMs: Math.min(Math.round(currentMs * schedule.factor), schedule.capMs),
  };
}

export type PaymentState = 'PAID' | 'CANCELLED' | 'EXPIRED' | 'WAITING';

/**
 * What the order seen by the last poll (null: it could not be read) means. Only an order last seen UNPAID expires:
 * one that cannot be read, or while the purchase needs attention, is polled on until it can be.
 */
export function paymentState(order: OrderSummary | null, remainingMs: number, needsAttention: boolean): PaymentState {
  if (order?.status === 'PAID') return 'PAID';
  if (order?.status === 'CANCELLED') return 'CANCELLED';
  return remainingMs <= 0 && !needsAttention ? 'EXPIRED' : 'WAITING';
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
