/**
 * Checkout: credits first; otherwise a card checkout session (when the organisation may pay by
 * card) whose link is the simulator's own checkout page. A repeated checkout never charges twice.
 */
import { randomBytes } from 'node:crypto';
import { apiVariant, callerOf, type RequestContext, type Sim } from './context';
import { ApiError, data, type Reply } from './http';
import { balanceOf, creditsCover, payWithCredits } from './ledger';
import { expireIfDue, nowIso } from './order-model';
import { checkoutJson } from './order-replies';
import { visibleOrder } from './order-routes';
import { PATHS, pathOf } from './paths';
import type { OrderRecord } from './state';

export async function checkoutOrder(ctx: RequestContext): Promise<Reply> {
  const caller = callerOf(ctx);
  const { state } = ctx.sim;
  const order = await visibleOrder(ctx, caller, ctx.params[0]);
  if (order.status === 'CANCELLED') throw new ApiError(409, `order ${order.id} is cancelled`);
  const fresh = order.status === 'UNPAID' && !order.session;
  if (fresh && !creditsCover(state, order) && !caller.organisation.card_payments)
    throw new ApiError(
      402,
      `Insufficient credits: balance ${balanceOf(state, order.organisation_id)} ${order.currency} ` +
        `does not cover the order total ${order.total} ${order.currency}, ` +
        `and card payments are disabled for organisation ${order.organisation_id}`,
    );
  order.checkout_count += 1;
  // A repeated checkout changes nothing but the count: the paid order, or the same live session link.
  if (!fresh) await state.saveOrder(order);
  else await (payWithCredits(state, order) ?? openSession(ctx.sim, order));
  return data(checkoutJson(order, apiVariant(ctx)));
}

function openSession(sim: Sim, order: OrderRecord): Promise<void> {
  const id = randomBytes(16).toString('base64url');
  const link = `${sim.publicUrl}${pathOf(PATHS.checkoutPage, id)}`;
  Object.assign(order, {
    session: { id, expires_at_ms: Date.now() + sim.state.settings.checkoutTtlS * 1000 },
    payment_method: 'CARD',
    checkout_url: link,
    updated_at: nowIso(),
  });
  return sim.state.saveOrder(order);
}

/** Cancels orders whose checkout session lapsed; reads also check lazily, this keeps audits current. */
export function startSessionSweeper(sim: Sim, intervalMs = 500): () => void {
  const timer = setInterval(() => {
    const now = Date.now();
    for (const order of sim.state.sessions.values())
      expireIfDue(sim.state, order, now)?.catch((error: unknown) =>
        sim.log.error({ err: error }, 'session expiry failed'),
      );
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
