/** Order records: their audit form and the status changes they go through. */
import type { OrderRecord, PaymentMethod, SimState } from './state';

/** What GET /__sim/orders shows of an order. */
export function orderAudit(order: OrderRecord) {
  return {
    id: order.id,
    organisation_id: order.organisation_id,
    contract_id: order.contract_id,
    items: order.order_line_items.map(({ collection, item, price, geometry, project_id }) => ({
      collection,
      item,
      price,
      ...(geometry ? { geometry, project_id } : {}),
    })),
    status: order.status,
    payment_method: order.payment_method,
    payment_reference_number: order.payment_reference_number,
    total: order.total,
    currency: order.currency,
    created_at: order.created_at,
    updated_at: order.updated_at,
    paid_at: order.paid_at,
    checkout_count: order.checkout_count,
    charged: order.charged,
    checkout_url: order.checkout_url,
  };
}
export type OrderAudit = ReturnType<typeof orderAudit>;

export function nowIso(): string {
  return new Date().toISOString();
}

export function markPaid(
  state: SimState,
  order: OrderRecord,
  method: PaymentMethod,
  reference: string | null,
): Promise<void> {
  const now = nowIso();
  Object.assign(order, {
    status: 'PAID',
    payment_method: method,
    payment_reference_number: reference,
    charged: order.total,
    paid_at: now,
    updated_at: now,
    checkout_url: method === 'NOT_REQUIRED' ? '' : order.checkout_url,
  });
  return state.saveOrder(order);
}

export function markCancelled(state: SimState, order: OrderRecord): Promise<void> {
  Object.assign(order, { status: 'CANCELLED', updated_at: nowIso() });
  return state.saveOrder(order);
}

/** Cancels an UNPAID order whose checkout session has expired; null when nothing is due. */
export function expireIfDue(state: SimState, order: OrderRecord, nowMs = Date.now()): Promise<void> | null {
  if (order.status !== 'UNPAID' || !order.session || order.session.expires_at_ms > nowMs) return null;
  return markCancelled(state, order);
}
