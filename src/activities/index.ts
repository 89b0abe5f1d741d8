/**
 * The purchase activities: thin steps over the DataCosmos client. Built by a factory that takes the
 * client and the organisation, so the worker, tests and benchmarks wire them the same way.
 */
import { Context } from '@temporalio/activity';
import { checkoutLink, type DataCosmosClient } from '../datacosmos';
import { add } from '../shared/money';
import type { Order, OrderLineItemRequest, StacItem } from '../datacosmos/api-schemas';
import type {
  CreateOrderInput,
  LineItem,
  LineItemInput,
  OrderSummary,
  PricedLineItem,
  Quote,
  ResolvedContract,
} from '../shared/purchase-types';
import { chooseContract, createContractCache, type ContractCache } from './contracts';
import { apiStep, businessRule } from './failures';
import { createBatchActivities } from './batch';

export interface ActivityDependencies {
  client: DataCosmosClient;
  organisationId: number;
  contractCache?: ContractCache;
  /** Clock skew tolerated when looking for an order whose create reply was lost. */
  orderLookbackMs?: number;
  /** Downloads at once in this worker, across all deliveries (default 4). */
  maxParallelDownloads?: number;
}

export function createActivities(deps: ActivityDependencies) {
  const { client, organisationId } = deps;
  const contracts = deps.contractCache ?? createContractCache(5 * 60_000);
  const lookbackMs = deps.orderLookbackMs ?? 5 * 60_000;

  return {
    async resolveContract(input: { contractId?: number }): Promise<ResolvedContract> {
      const all = await apiStep(() =>
        contracts.get(organisationId, () =>
          client.listContracts(organisationId, { includeInactive: true, signal: cancellation() }),
        ),
      );
      return chooseContract(all, organisationId, new Date(), input.contractId);
    },

    /** Prices every line item under the contract; looks up missing levels in the catalog in the same call. */
    async priceItems(input: { contractId: number; items: LineItemInput[] }): Promise<Quote> {
      const needsLevel = input.items.some((line) => line.level === undefined);
      const priced = needsLevel
        ? await priceFromCatalog(client, input.contractId, input.items)
        : await priceFromBatch(client, input.contractId, input.items as LineItem[]);
      const currencies = new Set(priced.map((line) => line.currency));
      if (currencies.size > 1) {
        throw businessRule(`prices came back in several currencies: ${[...currencies].join(', ')}`, 'PriceMismatch');
      }
      return { lineItems: priced, total: add(...priced.map((line) => line.price)), currency: priced[0].currency };
    },

    /**
     * Creates the order at most once. The API has no idempotency key, so a retried attempt (after a
     * timeout, a reset, a lost reply or a worker crash) first adopts an order of this organisation with
     * the same line items created since the purchase began, and only POSTs when there is none.
     */
    async createOrderOnce(input: CreateOrderInput): Promise<OrderSummary> {
      const log = Context.current().log;
      if (Context.current().info.attempt > 1) {
        const existing = await apiStep(() => findOrderForItems(client, organisationId, input, lookbackMs));
        if (existing) {
          log.info('adopted the order of an earlier attempt', { orderId: existing.id });
          return summarizeOrder(existing);
        }
      }
      const order = await apiStep(() =>
        client.createOrder(
          {
            type: 'IMAGE',
            data: {
              order_line_items: input.lineItems.map((line) => ({
                collection: line.collection,
                item: line.item,
                level: line.level,
                ...(line.geometry
                  ? { geometry: line.geometry as OrderLineItemRequest['geometry'], project_id: line.projectId }
                  : {}),
              })),
            },
            organisation: organisationId,
            contract_id: input.contractId,
            ...(input.licenses ? { licenses: input.licenses } : {}),
          },
          { signal: cancellation() },
        ),
      );
      log.info('order created', { orderId: order.id, status: order.status });
      return summarizeOrder(order);
    },

    /** Checks out (credits first). A retried attempt re-reads the order so a paid order is never paid again. */
    async checkoutOrder(input: { orderId: string }): Promise<OrderSummary> {
      if (Context.current().info.attempt > 1) {
        const current = await apiStep(() => client.getOrder(input.orderId, cancellation()));
        if (current.status !== 'UNPAID' || checkoutLink(current)) return summarizeOrder(current);
      }
      const outcome = await apiStep(() => client.checkout(input.orderId, cancellation()));
      Context.current().log.info('checked out', { orderId: input.orderId, status: outcome.order.status });
      return { ...summarizeOrder(outcome.order), checkoutUrl: outcome.checkoutUrl };
    },

    async getOrder(input: { orderId: string }): Promise<OrderSummary> {
      return summarizeOrder(await apiStep(() => client.getOrder(input.orderId, cancellation())));
    },

    ...createBatchActivities(deps),
  };
}

function cancellation(): AbortSignal {
  return Context.current().cancellationSignal;
}

export function summarizeOrder(order: Order): OrderSummary {
  return {
    orderId: order.id,
    status: order.status,
    paymentMethod: order.payment_method ?? null,
    checkoutUrl: checkoutLink(order),
    total: order.total ?? null,
    currency: order.currency ?? null,
    createdAt: order.created_at,
  };
}

function lineKey(line: { collection: string; item: string; level: string }): string {
  return `${line.collection}\u0000${line.item}\u0000${line.level}`;
}

function sameLineItems(order: Order, wanted: LineItem[]): boolean {
  if (order.order_line_items.length !== wanted.length) return false;
  const have = order.order_line_items.map(lineKey).sort();
  return wanted
    .map(lineKey)
    .sort()
    .every((key, i) => key === have[i]);
}

async function findOrderForItems(
  client: DataCosmosClient,
  organisationId: number,
  input: CreateOrderInput,
  lookbackMs: number,
): Promise<Order | undefined> {
  const createdAfter = new Date(Date.parse(input.notBefore) - lookbackMs).toISOString();
  for await (const order of client.listAllOrders({ organisationId, createdAfter }, { signal: cancellation() })) {
    if (
      order.contract_id === input.contractId &&
      order.status !== 'CANCELLED' &&
      sameLineItems(order, input.lineItems)
    ) {
      return order;
    }
  }
  return undefined;
}

async function priceFromBatch(
  client: DataCosmosClient,
  contractId: number,
  items: LineItem[],
): Promise<PricedLineItem[]> {
  const prices = await apiStep(() =>
    client.getPrices(
      contractId,
      items.map(({ collection, item }) => ({ collection, item })),
      cancellation(),
    ),
  );
  const byKey = new Map(prices.map((p) => [`${p.collection}/${p.item}`, p]));
  return items.map((line) => {
    const price = byKey.get(`${line.collection}/${line.item}`);
    if (!price) throw businessRule(`no price returned for ${line.collection}/${line.item}`, 'PriceMissing');
    return { ...line, price: price.final, currency: price.currency };
  });
}

/** One catalog search by ids with the contract gives each item's processing level and its price. */
async function priceFromCatalog(
  client: DataCosmosClient,
  contractId: number,
  items: LineItemInput[],
): Promise<PricedLineItem[]> {
  const found = new Map<string, StacItem>();
  const request = {
    collections: [...new Set(items.map((line) => line.collection))],
    ids: items.map((line) => line.item),
    contract_id: contractId,
    limit: Math.min(items.length, 1000),
  };
  await apiStep(async () => {
    for await (const page of client.searchAll(request, { signal: cancellation() })) {
      for (const stacItem of page) found.set(`${stacItem.collection}/${stacItem.id}`, stacItem);
    }
  });
  return items.map((line) => {
    const stacItem = found.get(`${line.collection}/${line.item}`);
    if (!stacItem) throw businessRule(`unknown item ${line.collection}/${line.item}`, 'UnknownItem');
    const price = stacItem.properties['opencosmos:price'];
    const currency = stacItem.properties['opencosmos:price_currency'];
    if (price === undefined || currency === undefined) {
      throw businessRule(`the catalog returned no price for ${line.collection}/${line.item}`, 'PriceMissing');
    }
    return { ...line, level: line.level ?? stacItem.properties['processing:level'], price, currency };
  });
}
