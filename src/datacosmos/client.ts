/**
 * The typed DataCosmos API client: one method per API operation, typed requests and validated
 * replies. URLs, headers, auth, retries and error classification live in the modules beside it.
 */
import { z } from 'zod';
import { paths, withOrderId } from './api-paths';
import {
  CheckoutResponse,
  ContractsResponse,
  CreatedOrderReply,
  CreateOrderRequest,
  Geometry,
  ItemRef,
  Order,
  OrderList,
  OrderResponse,
  PriceBatchResponse,
  PriceRef,
  PriceResponse,
  SearchRequest,
  StacCollections,
  StacItem,
  StacItemCollection,
  type Contract,
  type ItemPrice,
  type StacCollection,
} from './api-schemas';
import { checkoutLink } from './checkout-link';
import { DataCosmosError } from './errors';
import { openConnection, type Connection } from './connection';
import { resolveOptions, type DataCosmosClientOptions, type ResolvedOptions } from './options';
import { nextLinkPath } from './links';
import { toOrderPage } from './order-page';
import { followCursors } from './pagination';
import { PricingChoice } from './pricing-choice';
import { parseRequest } from './schema-check';
import { toSearchPage } from './search-page';
import type { Transport } from './transport';
import type { CheckoutOutcome, CreatedOrder, DownloadResult, ListOrdersQuery, OrderPage, SearchPage } from './types';

/** Largest batch the pricing endpoints accept in one call. */
export const PRICE_BATCH_SIZE = 500;
/** v0 price calls in flight at once for one quote. */
const V0_PRICE_CONCURRENCY = 4;

const PriceRefs = z.array(PriceRef);
const OrderId = z.string().min(1);

/**
 * Orders a listing asks for a page: a quarter of the requests of a default of 50 (the simulator's) where the API
 * serves pages this large (a batch lists every PAID order of the organisation).
 */
export const ORDER_LIST_PAGE_SIZE = 200;

export class DataCosmosClient {
  private readonly options: ResolvedOptions;
  private readonly connection: Connection;
  private readonly transport: Transport;
  private readonly pricing: PricingChoice;
  /** The page size listings ask for; unset once the API refused it. */
  private orderPageSize: number | undefined = ORDER_LIST_PAGE_SIZE;

  constructor(options: DataCosmosClientOptions) {
    this.options = resolveOptions(options);
    this.connection = openConnection(this.options);
    this.transport = this.connection.transport;
    this.pricing = new PricingChoice(this.options.pricing, this.options.onPricingFallback);
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

  /** Every collection, following `next` links page after page. */
  async listCollections(signal?: AbortSignal): Promise<StacCollection[]> {
    const collections: StacCollection[] = [];
    const pages = followCursors(
      'stac_collections',
      'GET',
      async (next) => {
        const reply = await this.transport.call({
          endpoint: 'stac_collections',
          method: 'GET',
          path: next ?? paths.stacCollections,
          reply: StacCollections,
          signal,
        });
        return { collections: reply.collections, nextCursor: nextLinkPath(reply.links, this.options.apiUrl) };
      },
      this.laterPages(signal),
    );
    for await (const page of pages) collections.push(...page.collections);
    return collections;
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
    const pages = followCursors(
      'stac_search',
      'POST',
      (cursor) => this.search({ ...request, ...(cursor ? { cursor } : {}) }, opts.signal),
      this.laterPages(opts.signal),
    );
    for await (const page of pages) {
      if (remaining <= 0) return;
      const items = page.items.slice(0, remaining);
      remaining -= items.length;
      if (items.length > 0) yield items;
    }
  }

  /**
   * The price of each item under the contract, in input order: the v1 batch price, or the documented v0 price
   * one item at a time (DATACOSMOS_PRICING; `auto` tries the batch once and keeps to v0 when it is not served).
   * An item with a `geometry` is a sub-area: only the v0 price prices those, so it always goes there.
   */
  async priceItems(
    contractId: number,
    refs: Array<ItemRef & { geometry?: Geometry }>,
    signal?: AbortSignal,
  ): Promise<ItemPrice[]> {
    const items = parseRequest('price_batch', 'POST', PriceRefs, refs);
    const whole = items.filter((ref) => ref.geometry === undefined);
    const parts = items.filter((ref) => ref.geometry !== undefined);
    const wholePrices =
      whole.length === 0
        ? []
        : await this.pricing.price(
            () => this.priceInBatches(contractId, whole, signal),
            () => this.priceEachV0(contractId, whole, signal),
          );
    const partPrices = parts.length === 0 ? [] : await this.priceEachV0(contractId, parts, signal);
    let [nextWhole, nextPart] = [0, 0];
    return items.map((ref) => (ref.geometry === undefined ? wholePrices[nextWhole++] : partPrices[nextPart++]));
  }

  /**
   * Creates an order. Never retried here: the API has no idempotency key, so a reset, timeout or
   * lost reply is a DataCosmosError of kind 'outcome_unknown' and the caller must look before trying again.
   */
  async createOrder(
    request: CreateOrderRequest,
    opts: { redirectHost?: string; signal?: AbortSignal } = {},
  ): Promise<CreatedOrder> {
    const body = parseRequest('order_create', 'POST', CreateOrderRequest, request);
    // A reply that names the order is enough to adopt it, whatever else it lacks: the order exists.
    const reply = await this.transport.call({
      endpoint: 'order_create',
      method: 'POST',
      path: paths.orders,
      query: { redirect_host: opts.redirectHost },
      body,
      reply: CreatedOrderReply,
      signal: opts.signal,
      unsafeToRepeat: true,
    });
    const whole = Order.safeParse(reply.data);
    return whole.success ? whole.data : { id: reply.data.id, status: reply.data.status };
  }

  async getOrder(orderId: string, signal?: AbortSignal): Promise<Order> {
    return (await this.callOnOrder('order_get', orderId, OrderResponse, signal)).data;
  }

  /** A call on one order (read it, or check it out): the id is checked before anything is sent. */
  private callOnOrder<S extends z.ZodType>(
    endpoint: 'order_get' | 'order_checkout',
    orderId: string,
    reply: S,
    signal: AbortSignal | undefined,
  ): Promise<z.output<S>> {
    const [method, pathTemplate] =
      endpoint === 'order_get'
        ? (['GET', this.options.paths.orderGet] as const)
        : (['POST', this.options.paths.orderCheckout] as const);
    const id = parseRequest(endpoint, method, OrderId, orderId);
    return this.transport.call({ endpoint, method, path: withOrderId(pathTemplate, id), reply, signal });
  }

  /** One page of the organisation's orders, newest first; entries that cannot be read are counted, not returned. */
  async listOrders(query: ListOrdersQuery, signal?: AbortSignal): Promise<OrderPage> {
    const reply = await this.transport.call({
      endpoint: 'order_list',
      method: 'GET',
      path: this.options.paths.orderList,
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
    return toOrderPage(reply);
  }

  /**
   * Every page of the orders matching the query, ORDER_LIST_PAGE_SIZE a page unless the query sets a size. The list
   * endpoint is not documented: an API that refuses that size (400) is asked for its own default from then on.
   */
  listAllOrders(query: Omit<ListOrdersQuery, 'cursor'>, opts: { signal?: AbortSignal } = {}): AsyncIterable<OrderPage> {
    return followCursors(
      'order_list',
      'GET',
      (cursor) => this.listOrdersPage({ ...query, cursor }, opts.signal),
      this.laterPages(opts.signal),
    );
  }

  private async listOrdersPage(query: ListOrdersQuery, signal: AbortSignal | undefined): Promise<OrderPage> {
    const limit = query.limit ?? this.orderPageSize;
    if (limit === query.limit) return this.listOrders(query, signal);
    try {
      return await this.listOrders({ ...query, limit }, signal);
    } catch (err) {
      if (!(err instanceof DataCosmosError && err.kind === 'http' && err.status === 400)) throw err;
      this.orderPageSize = undefined;
      return this.listOrders(query, signal);
    }
  }

  private laterPages(signal: AbortSignal | undefined) {
    return { retry: this.options.pageRetry, signal };
  }

  /**
   * Checks out: credits first; when they fall short, the reply carries a card payment link. Any reply shape is
   * accepted (the whole order, `{checkout_url}`, `{checkout_redirect_url}`, nothing); `order` is set only when
   * the reply is a readable order, so a caller that needs the status reads the order when it is null.
   */
  async checkout(orderId: string, signal?: AbortSignal): Promise<CheckoutOutcome> {
    // A bad id is refused here, before the try: a schema error caught below can then only be the reply's.
    parseRequest('order_checkout', 'POST', OrderId, orderId);
    let reply: z.output<typeof CheckoutResponse>;
    try {
      reply = await this.callOnOrder('order_checkout', orderId, CheckoutResponse, signal);
    } catch (err) {
      // CheckoutResponse reads any JSON, so this is a 2xx that is not JSON: the checkout happened, and the caller
      // reads the order as it does after an empty reply (failed, it was sent again blind and never read).
      if (err instanceof DataCosmosError && err.kind === 'schema') return { order: null, checkoutUrl: null };
      throw err;
    }
    const order = Order.safeParse(reply.data);
    return {
      order: order.success ? order.data : null,
      checkoutUrl: checkoutLink(reply.data ?? {}),
    };
  }

  /**
   * Streams an asset. `href` may be absolute or relative to the API; the bearer token is sent only
   * to the API's own origin. With `rangeStart` the download resumes there, up to `rangeEnd` (inclusive) when given
   * (206 when the server agrees, 200 with the whole file when it ignores the range). The timeout covers the wait
   * for headers.
   */
  async download(
    href: string,
    opts: { rangeStart?: number; rangeEnd?: number; signal?: AbortSignal } = {},
  ): Promise<DownloadResult> {
    const url = new URL(href, this.options.apiUrl);
    const withToken = url.origin === new URL(this.options.apiUrl).origin;
    const headers: Record<string, string> =
      opts.rangeStart !== undefined ? { range: `bytes=${opts.rangeStart}-${opts.rangeEnd ?? ''}` } : {};
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
    return this.connection.close();
  }

  /** The v1 batch price, PRICE_BATCH_SIZE items a call, one call at a time (large quotes must not burst). */
  private async priceInBatches(contractId: number, items: ItemRef[], signal?: AbortSignal): Promise<ItemPrice[]> {
    const prices: ItemPrice[] = [];
    for (let start = 0; start < items.length; start += PRICE_BATCH_SIZE) {
      const reply = await this.transport.call({
        endpoint: 'price_batch',
        method: 'POST',
        path: paths.priceBatchV1(contractId),
        body: { items: items.slice(start, start + PRICE_BATCH_SIZE) },
        reply: PriceBatchResponse,
        signal,
      });
      prices.push(...reply.data);
    }
    return prices;
  }

  /**
   * The documented v0 price, one item per call, a few calls at a time (the throttle paces them); a sub-area's
   * geometry goes as JSON in the `geometry` parameter.
   */
  private async priceEachV0(contractId: number, items: PriceRef[], signal?: AbortSignal): Promise<ItemPrice[]> {
    const prices: ItemPrice[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const index = next++;
        const { collection, item, geometry } = items[index];
        const reply = await this.transport.call({
          endpoint: 'price',
          method: 'GET',
          path: paths.priceV0,
          query: { collection, item, contract_id: contractId, geometry: geometry && JSON.stringify(geometry) },
          reply: PriceResponse,
          signal,
        });
        prices[index] = { collection, item, ...reply.data };
      }
    };
    await Promise.all(Array.from({ length: Math.min(V0_PRICE_CONCURRENCY, items.length) }, worker));
    return prices;
  }
}
