/** The typed DataCosmos API client: the only place that knows URLs, headers, JSON shapes and HTTP errors. */
export { DataCosmosClient, ORDER_LIST_PAGE_SIZE, PRICE_BATCH_SIZE } from './client';
export type { DataCosmosClientOptions, RequestEvent } from './options';
export { DEFAULT_RETRY } from './options';
export type { RetryPolicy } from './backoff';
export { backoffDelayMs } from './backoff';
export { withRetry } from './retry';
export { DataCosmosError, isDataCosmosError, type DataCosmosErrorKind } from './errors';
export { classifyStatus } from './classify';
export { parseRetryAfter } from './retry-after';
export { checkoutLink } from './checkout-link';
export { repeatedCursor } from './pagination';
export type { SearchPage, ListOrdersQuery, OrderPage, CheckoutOutcome, DownloadResult } from './types';
export type {
  Contract,
  StacCollection,
  StacItem,
  SearchRequest,
  Price,
  ItemPrice,
  ItemRef,
  CreateOrderRequest,
  Order,
} from './api-schemas';
