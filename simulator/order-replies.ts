/**
 * Orders as the API shows them, in each API variant. `documented` is the published create-reply
 * example and nothing more (fixture: fixtures/documented/order.json): "no value" is an empty string
 * and a payment method shows only once the order is paid. `full` adds what the simulator knows.
 */
import type { ApiVariant } from './options';
import type { OrderRecord } from './state';

export function orderJson(order: OrderRecord, variant: ApiVariant) {
  return variant === 'documented' ? documentedOrder(order) : fullOrder(order);
}

/** Checkout answers the whole order in `full`; in `documented` only the payment link, empty when nothing is to pay. */
export function checkoutJson(order: OrderRecord, variant: ApiVariant) {
  if (variant === 'full') return fullOrder(order);
  return { checkout_url: order.status === 'UNPAID' ? order.checkout_url : '' };
}

/** The fields both variants share, in the documented order. */
function identity(order: OrderRecord) {
  return {
    id: order.id,
    type: 'IMAGE',
    customer_id: order.customer_id,
    organisation_id: order.organisation_id,
    contract_id: order.contract_id,
    status: order.status,
  };
}

function documentedOrder(order: OrderRecord) {
  return {
    ...identity(order),
    payment_method: order.status === 'PAID' ? (order.payment_method ?? '') : '',
    payment_reference_number: order.payment_reference_number ?? '',
    order_line_items: order.order_line_items.map((line) => ({
      id: line.id,
      collection: line.collection,
      item: line.item,
    })),
    checkout_redirect_url: order.checkout_url,
  };
}

/** Every field of the record but the simulator's own bookkeeping. */
function fullOrder(order: OrderRecord) {
  const { seq, paid_at, checkout_count, charged, session, ...shown } = order;
  return { ...identity(order), ...shown, checkout_redirect_url: order.checkout_url };
}
