import type { Order } from './api-schemas';

/**
 * The payment link of an order: `checkout_url` (one doc version) or `checkout_redirect_url`
 * (another). An empty string means no payment is needed, so it reads as null.
 */
export function checkoutLink(order: Order): string | null {
  return order.checkout_url || order.checkout_redirect_url || null;
}
