// Interim: the paths the simulator was written against, until it has a route table of its own.
/**
 * Paths of the DataCosmos API, shared by the client and the simulator so they cannot drift.
 * The real service and the simulator differ only in their base URLs.
 */
const enc = encodeURIComponent;

export const paths = {
  token: '/oauth/token',
  policies: (organisationId: number) => `/api/data/v1/dpap/organisations/${organisationId}/policies`,
  stacCollections: '/api/data/v0/stac/collections',
  stacCollection: (collection: string) => `/api/data/v0/stac/collections/${enc(collection)}`,
  stacItem: (collection: string, item: string) => `/api/data/v0/stac/collections/${enc(collection)}/items/${enc(item)}`,
  stacSearch: '/api/data/v0/stac/search',
  priceV1: (contractId: number) => `/api/data/v1/dpap/policies/${contractId}/catalog/price`,
  priceBatchV1: (contractId: number) => `/api/data/v1/dpap/policies/${contractId}/catalog/price/batch`,
  priceV0: '/api/data/v0/order/price',
  priceBatchV0: '/api/data/v0/order/price/batch',
  orders: '/api/data/v0/order/orders',
  order: (orderId: string) => `/api/data/v0/order/orders/${enc(orderId)}`,
  checkout: (orderId: string) => `/api/data/v0/order/orders/${enc(orderId)}/checkout`,
  storagePrefix: '/api/data/v0/storage/full/',
} as const;

/** Endpoint names used for fault injection, request statistics and error messages. */
export type EndpointName =
  | 'token'
  | 'policies'
  | 'stac_collections'
  | 'stac_item'
  | 'stac_search'
  | 'price'
  | 'price_batch'
  | 'order_create'
  | 'order_list'
  | 'order_get'
  | 'order_checkout'
  | 'storage';

export const ENDPOINT_NAMES: readonly EndpointName[] = [
  'token',
  'policies',
  'stac_collections',
  'stac_item',
  'stac_search',
  'price',
  'price_batch',
  'order_create',
  'order_list',
  'order_get',
  'order_checkout',
  'storage',
];
