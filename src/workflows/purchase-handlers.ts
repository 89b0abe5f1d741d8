/**
 * A purchase's messages: the status query, the cancel and payment signals, and the approve, adopt and extend
 * updates, each refused in a state that does not allow it (src/shared/purchase-message-rules.ts). What they ask is
 * left in the inbox, which the purchase's stages wait on.
 */
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import { formatDuration } from '../shared/duration';
import { adoptionRefusal, approvalRefusal, extensionRefusal } from '../shared/purchase-message-rules';
import * as messages from '../shared/purchase-messages';
import type { AdoptOrder, ApprovalDecision, DeadlineExtension, OrderSummary } from '../shared/purchase-types';
import { activityCause, failureMessage } from '../shared/step-failures';
import type { PurchaseRecord } from './purchase-record';

/** What the messages have asked so far. */
export class Inbox {
  cancelReason: string | null = null;
  paymentSignalled = false;
  deadlineMoved = false;
  approval: ApprovalDecision | null = null;
  /** The order an operator attached to a purchase whose create could not be settled. */
  adopted: OrderSummary | null = null;
  adopting = false;

  requestCancel(reason: string): void {
    this.cancelReason ??= reason;
  }
}

export interface HandlerContext {
  record: PurchaseRecord;
  inbox: Inbox;
  /** Whether an order was asked for; adopting reads and checks the named order against that request. */
  orderRequested(): boolean;
  adopt(orderId: string): Promise<OrderSummary>;
  /** The payment window, while no payment link has started the deadline. */
  paymentWindow: { ms: number };
}

function refuse(reason: string | null): void {
  if (reason !== null) throw new Error(reason);
}

export function installPurchaseHandlers({ record, inbox, orderRequested, adopt, paymentWindow }: HandlerContext): void {
  const status = record.status;
  setHandler(messages.statusQuery, () => status);
  setHandler(messages.cancelSignal, (reason?: string) =>
    inbox.requestCancel(reason ? `cancelled: ${reason}` : 'cancelled'),
  );
  setHandler(messages.paymentCompletedSignal, () => {
    inbox.paymentSignalled = true;
  });
  setHandler(
    messages.approveUpdate,
    (decision: ApprovalDecision) => {
      inbox.approval = { approved: decision?.approved !== false, note: decision?.note };
      return status;
    },
    { validator: (_decision: ApprovalDecision) => refuse(approvalRefusal(status, inbox.approval !== null)) },
  );
  setHandler(
    messages.adoptOrderUpdate,
    async ({ orderId }: AdoptOrder) => {
      inbox.adopting = true;
      try {
        inbox.adopted = await adopt(orderId);
        return status;
      } catch (err) {
        // The update fails with the reason (the purchase stays as it was), not with "activity task failed".
        throw ApplicationFailure.nonRetryable(failureMessage(err), activityCause(err)?.type ?? 'AdoptionFailed');
      } finally {
        inbox.adopting = false;
      }
    },
    {
      validator: (adoption: AdoptOrder) =>
        refuse(adoptionRefusal(status, adoption, orderRequested(), inbox.adopting || inbox.adopted !== null)),
    },
  );
  setHandler(
    messages.extendDeadlineUpdate,
    ({ byMs }: DeadlineExtension) => {
      if (status.paymentDeadline === null) {
        // The deadline starts when checkout issues a payment link; until then the window grows.
        paymentWindow.ms += byMs;
        return `payment window is now ${formatDuration(paymentWindow.ms)} from checkout`;
      }
      status.paymentDeadline = new Date(Date.parse(status.paymentDeadline) + byMs).toISOString();
      inbox.deadlineMoved = true;
      record.touch();
      return status.paymentDeadline;
    },
    { validator: (extension: DeadlineExtension) => refuse(extensionRefusal(status, extension)) },
  );
}
