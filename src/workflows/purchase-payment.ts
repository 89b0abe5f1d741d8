/**
 * The wait for payment: polls the order while it is UNPAID, with growing intervals capped by the schedule, waking
 * at once on `paymentCompleted`, `cancel` or a moved deadline, until it is PAID, CANCELLED or past its deadline.
 */
import { condition } from '@temporalio/workflow';
import { ATTENTION_RESOLVES } from '../shared/attention-rules';
import { deadlineNearMs } from '../shared/notification-types';
import {
  cancelledByDataCosmos,
  expiredReason,
  nextPoll,
  notFinalPastDeadline,
  paymentState,
  refusedReadReason,
} from '../shared/payment-polls';
import type { CarriedState, OrderSummary, PollSchedule } from '../shared/purchase-types';
import { failureMessage, isNonRetryable, unsettledReason } from '../shared/step-failures';
import { historyFull } from './history-full';
import type { Notifier } from './notifications';
import type { Attention } from './purchase-attention';
import { PurchaseEnded, stopIfCancelled } from './purchase-ended';
import type { Inbox } from './purchase-handlers';
import type { PurchaseRecord } from './purchase-record';
import type { DataCosmosSteps } from './purchase-steps';

export interface PaymentWaitContext {
  record: PurchaseRecord;
  inbox: Inbox;
  attention: Attention;
  notifier: Notifier;
  poll: PollSchedule;
  paymentWindow: { ms: number };
  /** Past this many history events the purchase continues as new. */
  historyEventLimit: number;
  /**
   * Whether the history's length is read when a poll's timer fires (behind patched('continue-as-new-at-wake')),
   * rather than right after the poll: a poll run as a local activity can end in a workflow task of its own, and a
   * replay then reads a shorter history there than the run did, decides not to continue as new, and fails.
   */
  continueAtWake: boolean;
  /**
   * Whether the wait reads the order before it takes an end or a long sleep on trust (behind
   * patched('payment-wait-reads-order'), asked in the run's first workflow task like `continueAtWake`): a cancel
   * first reads the order (PAID completes the purchase); a payment notice the order does not show yet starts the
   * polls again from their first interval; a failed poll at the deadline does not expire it; a poll the API refuses
   * for good needs attention instead of failing it. Runs from before it keep the earlier answers.
   */
  readsOrder: boolean;
  /**
   * Whether only an order read UNPAID expires at the deadline, and a cancel that came during checkout keeps the
   * payment link from being announced (behind patched('waits-end-and-rest-safely'), asked like `readsOrder`).
   */
  unpaidOnly: boolean;
}

/** Where the wait stands, carried into the next run. */
export interface PaymentWaitState {
  nextPollMs: number;
  paymentWaitStartedAt: number | null;
}

export class PaymentWait {
  private nextPollMs: number;
  /** Epoch ms when the wait began: the purchase's result says how long it waited. */
  startedAt: number | null;
  /** Whether this run sent (or found sent) `payment_deadline_near`. */
  private deadlineNearSent = false;

  constructor(
    private readonly context: PaymentWaitContext,
    carried: Pick<CarriedState, 'nextPollMs' | 'paymentWaitStartedAt'> | undefined,
  ) {
    this.nextPollMs = carried?.nextPollMs ?? context.poll.firstMs;
    this.startedAt = carried?.paymentWaitStartedAt ?? null;
  }

  private get status() {
    return this.context.record.status;
  }

  state(): PaymentWaitState {
    return { nextPollMs: this.nextPollMs, paymentWaitStartedAt: this.startedAt };
  }

  /**
   * Opens the payment window: the deadline, and the link to the purchase's receivers, unless a cancel has come (the
   * wait reads the order once more and ends; nobody should be told to pay it).
   */
  async open(): Promise<void> {
    this.status.paymentDeadline = new Date(Date.now() + this.context.paymentWindow.ms).toISOString();
    this.startedAt = Date.now();
    if (this.context.unpaidOnly && this.context.inbox.cancelReason !== null) return;
    await this.context.notifier.send('payment_link_ready', this.paymentFacts());
  }

  /** Waits until the order is paid; ends the purchase otherwise. Continues as new before the history grows large. */
  async untilPaid(polling: DataCosmosSteps['polling'], continueAsNew: () => Promise<never>): Promise<void> {
    const orderId = this.status.orderId as string;
    const { inbox, historyEventLimit, continueAtWake } = this.context;
    for (;;) {
      if (inbox.cancelReason !== null) {
        if (this.context.readsOrder && (await this.paidBeforeCancel(polling, orderId))) return;
        stopIfCancelled(inbox, this.status);
      }
      const noticed = inbox.paymentSignalled;
      inbox.paymentSignalled = false;
      inbox.deadlineMoved = false;
      const order = await this.pollOrder(polling, orderId);
      const remainingMs = Date.parse(this.status.paymentDeadline as string) - Date.now();
      const attention = this.status.attention !== null;
      const unreadExpires = !this.context.readsOrder;
      const state = paymentState(order, remainingMs, attention, unreadExpires, this.context.unpaidOnly);
      if (state === 'PAID') return;
      if (state === 'CANCELLED') throw new PurchaseEnded('CANCELLED', cancelledByDataCosmos(orderId));
      if (state === 'EXPIRED') {
        const deadline = this.status.paymentDeadline as string;
        throw new PurchaseEnded('EXPIRED', expiredReason(orderId, deadline, this.status.checkoutUrl));
      }
      if (order && remainingMs <= 0 && order.status !== 'UNPAID') {
        this.status.lastError = notFinalPastDeadline(orderId, order.status);
      }
      if (!continueAtWake && historyFull(historyEventLimit)) await continueAsNew();
      const restart = noticed && this.context.readsOrder;
      const { sleepMs: pollSleepMs, nextPollMs } = nextPoll(this.context.poll, this.nextPollMs, remainingMs, restart);
      const sleepMs = await this.deadlineNear(remainingMs, pollSleepMs);
      this.nextPollMs = nextPollMs;
      this.status.nextCheckAt = new Date(Date.now() + sleepMs).toISOString();
      const woken = await condition(
        () => inbox.paymentSignalled || inbox.deadlineMoved || inbox.cancelReason !== null,
        sleepMs,
      );
      // A fired timer starts a workflow task of its own in the run and in any replay of it alike.
      if (continueAtWake && !woken && historyFull(historyEventLimit)) await continueAsNew();
    }
  }

  /**
   * A last look at the order once a cancel has arrived: the payment link may have been paid since the last poll,
   * and a purchase whose order is PAID completes (its items are bought and delivered) rather than report CANCELLED.
   * An order that cannot be read now leaves the cancel standing, with the order as it was last seen.
   */
  private async paidBeforeCancel(polling: DataCosmosSteps['polling'], orderId: string): Promise<boolean> {
    try {
      return (await this.readOrder(polling, orderId)).status === 'PAID';
    } catch {
      return false;
    }
  }

  /** One read of the order, counted and recorded in the status. */
  private async readOrder(polling: DataCosmosSteps['polling'], orderId: string): Promise<OrderSummary> {
    const order = await polling.getOrder({ orderId });
    this.status.polls += 1;
    this.context.record.recordOrder(order);
    return order;
  }

  /**
   * One status check; a check that keeps failing is recorded, and the next poll tries again. An order that
   * cannot be read (its path is not served, its reply has no status, the API refuses the read for good) puts the
   * purchase in NEEDS_ATTENTION until a poll reads it again.
   */
  private async pollOrder(polling: DataCosmosSteps['polling'], orderId: string): Promise<OrderSummary | null> {
    const { record, attention } = this.context;
    try {
      const order = await this.readOrder(polling, orderId);
      if (this.status.attention !== null) {
        attention.settled();
        record.setStage('AWAITING_PAYMENT');
      }
      return order;
    } catch (err) {
      const why = unsettledReason(err);
      if (why !== null) attention.note(why, ATTENTION_RESOLVES.poll);
      else if (isNonRetryable(err)) {
        if (!this.context.readsOrder) throw err;
        attention.note(refusedReadReason(orderId, failureMessage(err)), ATTENTION_RESOLVES.pollRefused);
      }
      this.status.lastError = failureMessage(err);
      return null;
    }
  }

  /** What a receiver needs to pay: the order, its link, the total and the deadline. */
  private paymentFacts(): Record<string, unknown> {
    const { orderId, checkoutUrl, total, currency, paymentDeadline } = this.status;
    return { orderId, checkoutUrl, total, currency, paymentDeadline };
  }

  /**
   * Sends `payment_deadline_near` once the deadline is within deadlineNearMs of the window (once per purchase: its
   * id is fixed, and a start under a used id is dropped), and shortens the sleep to wake when it comes near. Only
   * when the purchase notifies at all: otherwise the sleep is the poll's, as before.
   */
  private async deadlineNear(remainingMs: number, sleepMs: number): Promise<number> {
    const { notifier, paymentWindow } = this.context;
    if (this.deadlineNearSent || !(await notifier.active())) return sleepMs;
    const nearMs = deadlineNearMs(paymentWindow.ms);
    if (remainingMs > nearMs) return Math.min(sleepMs, remainingMs - nearMs);
    this.deadlineNearSent = true;
    await notifier.send('payment_deadline_near', this.paymentFacts());
    return sleepMs;
  }
}
