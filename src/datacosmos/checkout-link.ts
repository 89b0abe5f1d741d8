/**
 * The payment link in an order or a checkout reply: `checkout_url` (the Ordering API page) or
 * `checkout_redirect_url` (the order object). An empty string means no payment is needed, so it reads as null.
 */
export function checkoutLink(reply: { checkout_url?: unknown; checkout_redirect_url?: unknown }): string | null {
  for (const link of [reply.checkout_url, reply.checkout_redirect_url]) {
    if (typeof link === 'string' && link.trim() !== '') return link;
  }
  return null;
}
