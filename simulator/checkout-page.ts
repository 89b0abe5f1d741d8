/** The fake card checkout page behind the links that checkout returns (stands in for Stripe). */
import { randomBytes } from 'node:crypto';
import type { RequestContext } from './context';
import type { Reply } from './http';
import { expireIfDue, markPaid } from './order-model';
import { PATHS, pathOf } from './paths';
import { sendCheckoutCompleted } from './payment-events';
import type { OrderRecord } from './state';

export async function showCheckoutPage(ctx: RequestContext): Promise<Reply> {
  const found = await sessionOrder(ctx);
  if ('status' in found) return found;
  const order = found.order;
  const cells = (line: OrderRecord['order_line_items'][number]) =>
    [line.collection, line.item, `${line.price} ${order.currency}`].map((text) => `<td>${escape(text)}</td>`).join('');
  const rows = order.order_line_items.map((line) => `<tr>${cells(line)}</tr>`).join('');
  const action =
    order.status === 'PAID'
      ? `<p id="paid">Paid (reference ${escape(order.payment_reference_number ?? '')}).</p>`
      : `<form method="post" action="${escape(pathOf(PATHS.checkoutPay, ctx.params[0]))}"><button type="submit">Pay</button></form>`;
  return page(
    200,
    'DataCosmos checkout',
    `<p>Order <code id="order-id">${escape(order.id)}</code></p>
<table><thead><tr><th>Collection</th><th>Item</th><th>Price</th></tr></thead><tbody>${rows}</tbody></table>
<p>Total: <strong id="total">${escape(order.total)} ${escape(order.currency)}</strong></p>
${action}`,
  );
}

/** Pays by card; paying again is a no-op that shows the same result. */
export async function payCheckout(ctx: RequestContext): Promise<Reply> {
  const found = await sessionOrder(ctx);
  if ('status' in found) return found;
  const order = found.order;
  if (order.status === 'UNPAID') {
    await markPaid(ctx.sim.state, order, 'CARD', `pi_sim_${randomBytes(8).toString('hex')}`);
    sendCheckoutCompleted(ctx.sim, order);
  }
  return page(
    200,
    'Payment received',
    `<p>Order <code id="order-id">${escape(order.id)}</code> is paid.</p>
<p>Total: <strong id="total">${escape(order.total)} ${escape(order.currency)}</strong>, reference <code id="reference">${escape(order.payment_reference_number ?? '')}</code></p>`,
  );
}

async function sessionOrder(ctx: RequestContext): Promise<{ order: OrderRecord } | Reply> {
  const order = ctx.sim.state.sessions.get(ctx.params[0]);
  if (!order) return page(404, 'Not found', '<p>This checkout session does not exist.</p>');
  await expireIfDue(ctx.sim.state, order);
  if (order.status === 'CANCELLED')
    return page(
      410,
      'Checkout expired',
      `<p>This checkout session has expired; order ${escape(order.id)} is cancelled.</p>`,
    );
  return { order };
}

function page(status: number, title: string, body: string): Reply {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    raw: `<!doctype html><html><head><meta charset="utf-8"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>\n${body}\n</body></html>\n`,
  };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
