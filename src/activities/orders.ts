/**
 * Reading orders for the purchase activities: the summary a workflow keeps, the look-up that finds the order of
 * a create whose reply was lost, and the checks on an order an operator adopts.
 */
import type { DataCosmosClient } from '../datacosmos';
import type { Order, OrderLineItem } from '../datacosmos/api-schemas';
import type { CreatedOrder } from '../datacosmos/types';
import { FAILURE } from '../shared/failure-types';
import { itemKey } from '../shared/item-key';
import type { CreateOrderInput, OrderSummary } from '../shared/purchase-types';
import { apiStep, cancellation, isFinalApiFailure, toActivityFailure, unsettled } from './failures';

export function summarizeOrder(order: CreatedOrder): OrderSummary {
  const known = order as Partial<Order>;
  return {
    orderId: order.id,
    status: order.status ?? null,
    paymentMethod: known.payment_method ?? null,
    checkoutUrl: known.checkout_url ?? known.checkout_redirect_url ?? null,
    total: known.total ?? null,
    currency: known.currency ?? null,
  };
}

export async function readOrder(client: DataCosmosClient, orderId: string): Promise<OrderSummary> {
  return summarizeOrder(await apiStep(() => client.getOrder(orderId, cancellation())));
}

/** `collection/item[@level]` of each line item, sorted; null when any line item cannot be read. */
function lineKeys(
  lines: ReadonlyArray<Pick<OrderLineItem, 'collection' | 'item' | 'level'>>,
  withLevel: boolean,
): string[] | null {
  const keys: string[] = [];
  for (const { collection, item, level } of lines) {
    if (!collection || !item) return null;
    const key = itemKey({ collection, item });
    keys.push(withLevel ? `${key}@${level}` : key);
  }
  return keys.sort();
}

/**
 * Whether the order holds exactly the purchase's line items: null when its items cannot be read (absent, or a
 * line without collection or item), so the caller cannot tell. Levels are compared when the order shows them.
 */
function holdsItems(order: Order, input: Pick<CreateOrderInput, 'lineItems'>): boolean | null {
  const lines = order.order_line_items;
  if (!lines || lines.length === 0) return null;
  const withLevel = lines.every((line) => line.level !== undefined);
  const have = lineKeys(lines, withLevel);
  if (have === null) return null;
  const wanted = lineKeys(input.lineItems, withLevel) as string[];
  return have.length === wanted.length && have.every((key, i) => key === wanted[i]);
}

/**
 * The order of this organisation with the purchase's line items created since the purchase began (less the
 * look-back for clock skew), if the order list shows one. When the list cannot prove there is none (it is not
 * served, or holds orders it cannot read), fails as OrderOutcomeUnknown, so the caller never creates again blindly.
 */
export async function findOrderForItems(
  client: DataCosmosClient,
  organisationId: number,
  input: CreateOrderInput,
  lookbackMs: number,
): Promise<Order | undefined> {
  const createdAfter = new Date(Date.parse(input.notBefore) - lookbackMs).toISOString();
  const cannotTell = (why: string) =>
    unsettled(
      `the outcome of creating the order is unknown, and the order list cannot tell: ${why}`,
      FAILURE.orderOutcomeUnknown,
    );
  try {
    for await (const page of client.listAllOrders({ organisationId, createdAfter }, { signal: cancellation() })) {
      if (page.unreadable > 0) throw cannotTell(`${page.unreadable} order(s) in it have no readable id or status`);
      for (const order of page.orders) {
        if (order.organisation_id !== undefined && order.organisation_id !== organisationId) continue;
        if (order.contract_id !== undefined && order.contract_id !== input.contractId) continue;
        if (order.created_at !== undefined && Date.parse(order.created_at) < Date.parse(createdAfter)) continue;
        if (order.status === 'CANCELLED') continue;
        const holds = holdsItems(order, input);
        if (holds === null) throw cannotTell(`the items of order ${order.id} cannot be read`);
        if (holds) return order;
      }
    }
  } catch (err) {
    const failure = toActivityFailure(err);
    if (isFinalApiFailure(failure) && failure.type !== FAILURE.orderOutcomeUnknown) throw cannotTell(failure.message);
    throw failure;
  }
  return undefined;
}

/** Why this order cannot be the purchase's, or null when nothing DataCosmos shows of it says so. */
export function checkAdoptable(order: Order, organisationId: number, input: CreateOrderInput): string | null {
  if (order.organisation_id !== undefined && order.organisation_id !== organisationId) {
    return `it belongs to organisation ${order.organisation_id}, not ${organisationId}`;
  }
  if (order.contract_id !== undefined && order.contract_id !== input.contractId) {
    return `it is under contract ${order.contract_id}, the purchase under ${input.contractId}`;
  }
  if (order.status === 'CANCELLED') return 'it is CANCELLED';
  if (holdsItems(order, input) === false) {
    const items = (order.order_line_items ?? []).map((line) => `${line.collection}/${line.item}`).join(', ');
    return `its items (${items}) are not the purchase's`;
  }
  return null;
}
