/**
 * The typed DataCosmos API client: one method per API operation, typed requests and validated
 * replies. URLs, headers, auth, retries and error classification live in the modules beside it.
 */
import { RequestThrottle } from './throttle';
import { Agent } from 'undici';
import { z } from 'zod';
import { paths } from './api-paths';
import {
  ContractsResponse,
  CreateOrderRequest,
  ItemRef,
  OrderList,
  OrderResponse,
  PriceBatchResponse,
  PriceResponse,
  SearchRequest,
  StacCollection,
  StacCollections,
  StacItem,
  StacItemCollection,
  type Contract,
  type ItemPrice,
  type Order,
  type Price,
} from './api-schemas';
import { checkoutLink } from './checkout-link';
import { resolveOptions, type DataCosmosClientOptions, type ResolvedOptions } from './options';
import { followCursors } from './pagination';
import { parseRequest } from './schema-check';
import { toSearchPage } from './search-page';
import { TokenProvider } from './token-provider';
import { Transport, type Query } from './transport';
import type { CheckoutOutcome, DownloadResult, ListOrdersQuery, OrderPage, SearchPage } from './types';

/** Largest batch the pricing endpoints accept in one call. */
export const PRICE_BATCH_SIZE = 500;

const ItemRefs = z.array(ItemRef);
const OrderId = z.string().min(1);

export class DataCosmosClient {
  private readonly options: ResolvedOptions;
  private readonly agent: Agent;
  private readonly transport: Transport;

  constructor(options: DataCosmosClientOptions) {
    this.options = resolveOptions(options);
    // One keep-alive pool per client: purchases reuse connections instead of paying a handshake each.
    this.agent = new Agent({ keepAliveTimeout: 30_000, connections: 32 });
    const context = {
      dispatcher: this.agent,
      timeoutMs: this.options.requestTimeoutMs,
      onRequest: this.options.onRequest,
      throttle: this.options.maxRequestsPerSecond ? new RequestThrottle(this.options.maxRequestsPerSecond) : undefined,
    };
    this.transport = new Transport(context, this.options, new TokenProvider(context, this.options));
  }

  /** The access token: cached, refreshed early, one request in flight for all callers. */
  getToken(signal?: AbortSignal): Promise<string> {
    return this.transport.token(signal);
  }

  async listContracts(
    organisationId: number,
    opts: { includeInactive?: boolean; signal?: AbortSignal } = {},
  ): Promise<Contract[]> {
    const reply = await this.transport.call({
      endpoint: 'policies',
      method: 'GET',
      path: paths.policies(organisationId),
      query: { include_inactive_contracts: opts.includeInactive ? true : undefined },
      reply: ContractsResponse,
      signal: opts.signal,
    });
    return reply.data;
  }

  async listCollections(signal?: AbortSignal): Promise<StacCollection[]> {
    const reply = await this.transport.call({
      endpoint: 'stac_collections',
      method: 'GET',
      path: paths.stacCollections,
      reply: StacCollections,
      signal,
    });
    return reply.collections;
  }

  getCollection(collection: string, signal?: AbortSignal): Promise<StacCollection> {
    return this.transport.call({
      endpoint: 'stac_collections',
      method: 'GET',
      path: paths.stacCollection(collection),
      reply: StacCollection,
      signal,
    });
  }

  getItem(collection: string, item: string, signal?: AbortSignal): Promise<StacItem> {
    return this.transport.call({
      endpoint: 'stac_item',
      method: 'GET',
      path: paths.stacItem(collection, item),
      reply: StacItem,
      signal,
    });
  }

  /** One page of a POST search; pass `nextCursor` back as `cursor` for the next. */
  async search(request: SearchRequest, signal?: AbortSignal): Promise<SearchPage> {
    const body = parseRequest('stac_search', 'POST', SearchRequest, request);
    const reply = await this.transport.call({
      endpoint: 'stac_search',
      method: 'POST',
      path: paths.stacSearch,
      body,
      reply: StacItemCollection,
      signal,
    });
    return toSearchPage(reply);
  }

  /** Every page of a search, in order, up to `maxItems` items in all. */
  async *searchAll(
    request: SearchRequest,
    opts: { maxItems?: number; signal?: AbortSignal } = {},
  ): AsyncIterable<StacItem[]> {
    let remaining = opts.maxItems ?? Infinity;
    const pages = followCursors('stac_search', 'POST', (cursor) =>
      this.search({ ...request, ...(cursor ? { cursor } : {}) }, opts.signal),
    );
    for await (const page of pages) {
      if (remaining <= 0) return;
      const items = page.items.slice(0, remaining);
      remaining -= items.length;
      if (items.length > 0) yield items;
    }
  }

  async getPrice(contractId: number, ref: ItemRef, signal?: AbortSignal): Promise<Price> {
    return this.priceOne(paths.priceV1(contractId), parseRequest('price', 'GET', ItemRef, ref), signal);
  }

  getPrices(contractId: number, refs: ItemRef[], signal?: AbortSignal): Promise<ItemPrice[]> {
    return this.priceInBatches(paths.priceBatchV1(contractId), {}, refs, signal);
  }

  /** Deprecated v0 pricing, still live. */
  async getPriceV0(contractId: number, ref: ItemRef, signal?: AbortSignal): Promise<Price> {
    const item = parseRequest('price', 'GET', ItemRef, ref);
    return this.priceOne(paths.priceV0, { ...item, contract_id: contractId }, signal);
  }

  getPricesV0(contractId: number, refs: ItemRef[], signal?: AbortSignal): Promise<ItemPrice[]> {
    return this.priceInBatches(paths.priceBatchV0, { contract_id: contractId }, refs, signal);
  }

  /**
   * Creates an order. Never retried here: the API has no idempotency key, so a reset, timeout or
   * lost reply is a DataCosmosError of kind 'outcome_unknown' and the caller must look before trying again.
   */
  async createOrder(
    request: CreateOrderRequest,
    opts: { redirectHost?: string; signal?: AbortSignal } = {},
  ): Promise<Order> {
    const body = parseRequest('order_create', 'POST', CreateOrderRequest, request);
    const reply = await this.transport.call({
      endpoint: 'order_create',
      method: 'POST',
      path: paths.orders,
      query: { redirect_host: opts.redirectHost },
      body,
      reply: OrderResponse,
      signal: opts.signal,
      unsafeToRepeat: true,
    });
    return reply.data;
  }

  async getOrder(orderId: string, signal?: AbortSignal): Promise<Order> {
    const id = parseRequest('order_get', 'GET', OrderId, orderId);
    const reply = await this.transport.call({
      endpoint: 'order_get',
      method: 'GET',
      path: paths.order(id),
      reply: OrderResponse,
      signal,
    });
    return reply.data;
  }

  /** One page of the organisation's orders, newest first. */
  async listOrders(query: ListOrdersQuery, signal?: AbortSignal): Promise<OrderPage> {
    const reply = await this.transport.call({
      endpoint: 'order_list',
      method: 'GET',
      path: paths.orders,
      query: {
        organisation: query.organisationId,
        status: query.status,
        created_after: query.createdAfter,
        limit: query.limit,
        cursor: query.cursor,
      },
      reply: OrderList,
      signal,
    });
    return { orders: reply.data, nextCursor: reply.pagination?.next_cursor ?? null };
  }

  /** Every order matching the query, page after page. */
  async *listAllOrders(
    query: Omit<ListOrdersQuery, 'cursor'>,
    opts: { signal?: AbortSignal } = {},
  ): AsyncIterable<Order> {
    const pages = followCursors('order_list', 'GET', (cursor) => this.listOrders({ ...query, cursor }, opts.signal));
    for await (const page of pages) yield* page.orders;
  }

  /** Checks out: credits first; when they fall short, the reply carries a card payment link. */
  async checkout(orderId: string, signal?: AbortSignal): Promise<CheckoutOutcome> {
    const id = parseRequest('order_checkout', 'POST', OrderId, orderId);
    const reply = await this.transport.call({
      endpoint: 'order_checkout',
      method: 'POST',
      path: paths.checkout(id),
      reply: OrderResponse,
      signal,
    });
    return { order: reply.data, checkoutUrl: checkoutLink(reply.data) };
  }

  /**
   * Streams an asset. `href` may be absolute or relative to the API; the bearer token is sent only
   * to the API's own origin. With `rangeStart` the download resumes there (206 when the server agrees,
   * 200 with the whole file when it ignores the range). The timeout covers the wait for headers.
   */
  async download(href: string, opts: { rangeStart?: number; signal?: AbortSignal } = {}): Promise<DownloadResult> {
    const url = new URL(href, this.options.apiUrl);
    const withToken = url.origin === new URL(this.options.apiUrl).origin;
    const headers: Record<string, string> = opts.rangeStart !== undefined ? { range: `bytes=${opts.rangeStart}-` } : {};
    const reply = await this.transport.stream({
      endpoint: 'storage',
      url: url.toString(),
      headers,
      withToken,
      signal: opts.signal,
    });
    const length = Number(reply.headers['content-length']);
    return {
      status: reply.status === 206 ? 206 : 200,
      body: reply.body,
      ...(Number.isFinite(length) && reply.headers['content-length'] !== undefined ? { contentLength: length } : {}),
    };
  }

  /** Closes the connection pool; the client is unusable afterwards. */
  close(): Promise<void> {
    return this.agent.close();
  }

  /** One price: v1 and v0 differ only in the path and where the contract goes. */
  private async priceOne(path: string, query: Query, signal?: AbortSignal): Promise<Price> {
    const reply = await this.transport.call({
      endpoint: 'price',
      method: 'GET',
      path,
      query,
      reply: PriceResponse,
      signal,
    });
    return reply.data;
  }

  private async priceInBatches(
    path: string,
    bodyExtra: Record<string, unknown>,
    refs: ItemRef[],
    signal?: AbortSignal,
  ): Promise<ItemPrice[]> {
    const items = parseRequest('price_batch', 'POST', ItemRefs, refs);
    const prices: ItemPrice[] = [];
    // One batch at a time: large quotes should not burst past the API's rate limit.
    for (let start = 0; start < items.length; start += PRICE_BATCH_SIZE) {
      const reply = await this.transport.call({
        endpoint: 'price_batch',
        method: 'POST',
        path,
        body: { items: items.slice(start, start + PRICE_BATCH_SIZE), ...bodyExtra },
        reply: PriceBatchResponse,
        signal,
      });
      prices.push(...reply.data);
    }
    return prices;
  }
}
