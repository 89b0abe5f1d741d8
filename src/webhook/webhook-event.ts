/**
 * The payment provider's event, as the webhook receives it (Stripe's envelope): only
 * `checkout.session.completed` matters here; it names the DataCosmos order (and optionally the purchase).
 */
import { z } from 'zod';

export const CHECKOUT_COMPLETED = 'checkout.session.completed';

/** An order id is quoted into a Temporal list query, so only plain id characters are accepted. */
const OrderId = z.string().regex(/^[\w.:-]{1,200}$/, 'must be an order id');

export const PaymentEventSchema = z.object({
  id: z.string().min(1).max(255),
  type: z.string().min(1),
  created: z.number().int().optional(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export type PaymentEvent = z.infer<typeof PaymentEventSchema>;

export const CheckoutSessionSchema = z.looseObject({
  order_id: OrderId,
  /** The purchase (workflow) id, when the checkout was opened with one. */
  client_reference_id: z.string().min(1).nullish(),
  amount_total: z.string().optional(),
  currency: z.string().optional(),
  payment_reference: z.string().nullish(),
});
export type CheckoutSession = z.infer<typeof CheckoutSessionSchema>;

export function checkoutCompletedEvent(eventId: string, session: CheckoutSession): PaymentEvent {
  return { id: eventId, type: CHECKOUT_COMPLETED, created: Math.floor(Date.now() / 1000), data: { object: session } };
}
