/**
 * The order's create and checkout. Neither is made blindly: a step whose outcome the API does not tell rests in
 * NEEDS_ATTENTION and is tried again, or settled by an operator (an adopted order) or a cancel.
 */
import { ATTENTION_RESOLVES } from '../shared/attention-rules';
import type { CreateOrderInput, OrderSummary, PurchaseStatus } from '../shared/purchase-types';
import { activityCause, unsettledReason } from '../shared/step-failures';
import type { Attention } from './purchase-attention';
import { stopIfCancelled } from './purchase-ended';
import type { Inbox } from './purchase-handlers';
import type { DataCosmosSteps } from './purchase-steps';

export interface OrderingContext {
  steps: DataCosmosSteps;
  attention: Attention;
  inbox: Inbox;
  status: PurchaseStatus;
}

/**
 * Creates the order at most once. When its outcome cannot be settled (the reply was lost and the order list
 * cannot tell), the purchase rests in NEEDS_ATTENTION: it looks again now and then (never creating blindly),
 * and takes an order an operator adopts, or a cancel.
 */
export async function createOrder(context: OrderingContext, request: CreateOrderInput): Promise<OrderSummary> {
  const { steps, attention, inbox, status } = context;
  let lookFirst = false;
  for (;;) {
    try {
      const order = await steps.ordering.createOrderOnce({ ...request, ...(lookFirst ? { lookFirst } : {}) });
      attention.settled();
      return order;
    } catch (err) {
      const why = unsettledReason(err);
      if (why === null) throw err;
      lookFirst = true;
      await attention.rest(why, ATTENTION_RESOLVES.create);
      stopIfCancelled(inbox, status);
      if (inbox.adopted) {
        attention.settled();
        return inbox.adopted;
      }
    }
  }
}

/**
 * Checks out; null when the checkout went through but the order cannot be read (the payment wait reads it).
 * A checkout that cannot be made (its path is not served) rests in NEEDS_ATTENTION and is tried again.
 */
export async function checkOut(context: OrderingContext, orderId: string): Promise<OrderSummary | null> {
  const { steps, attention, inbox, status } = context;
  for (;;) {
    try {
      const order = await steps.checkout.checkoutOrder({ orderId });
      attention.settled();
      return order;
    } catch (err) {
      const why = unsettledReason(err);
      if (why === null) throw err;
      const known = activityCause(err)?.details?.[0] as { checkoutUrl?: string | null } | undefined;
      if (known && 'checkoutUrl' in known) {
        status.checkoutUrl = known.checkoutUrl ?? status.checkoutUrl;
        status.lastError = why;
        return null;
      }
      await attention.rest(why, ATTENTION_RESOLVES.checkout);
      stopIfCancelled(inbox, status);
    }
  }
}
