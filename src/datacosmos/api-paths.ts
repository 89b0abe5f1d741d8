/**
 * Paths of the DataCosmos API. The documented ones are fixed; the ones no DataCosmos document shows are
 * assumptions, collected in UNCONFIRMED_PATHS, and each can be replaced by an environment variable
 * (README "Using the real API"), so a deployment can follow the real API without a new build.
 */
const enc = encodeURIComponent;

/** The audience a token is asked for (the documented client-credentials request). */
export const AUDIENCE = 'https://beeapp.open-cosmos.com';

/** Paths the DataCosmos docs (or public clients of the live API) show. */
export const paths = {
  token: '/oauth/token',
  policies: (organisationId: number) => `/api/data/v1/dpap/organisations/${organisationId}/policies`,
  stacCollections: '/api/data/v0/stac/collections',
  stacItem: (collection: string, item: string) => `/api/data/v0/stac/collections/${enc(collection)}/items/${enc(item)}`,
  stacSearch: '/api/data/v0/stac/search',
  /** Documented path; the body and reply of the batch call are not documented (see README). */
  priceBatchV1: (contractId: number) => `/api/data/v1/dpap/policies/${contractId}/catalog/price/batch`,
  /** Deprecated but live and documented: one item per call, reply `data.value`/`data.final`/`data.currency`. */
  priceV0: '/api/data/v0/order/price',
  orders: '/api/data/v0/order/orders',
  storagePrefix: '/api/data/v0/storage/full/',
} as const;

export type UnconfirmedPath = 'orderGet' | 'orderCheckout' | 'orderList';

/**
 * Assumed paths, with `{order_id}` where the order's id goes. The docs name these operations (order details,
 * checkout) or none at all (the order list), but not their paths.
 */
export const UNCONFIRMED_PATHS: Readonly<Record<UnconfirmedPath, string>> = {
  orderGet: '/api/data/v0/order/orders/{order_id}',
  orderCheckout: '/api/data/v0/order/orders/{order_id}/checkout',
  orderList: '/api/data/v0/order/orders',
};

/** The environment variable that replaces each assumed path. */
export const UNCONFIRMED_PATH_VARIABLES: Readonly<Record<UnconfirmedPath, string>> = {
  orderGet: 'DATACOSMOS_ORDER_GET_PATH',
  orderCheckout: 'DATACOSMOS_ORDER_CHECKOUT_PATH',
  orderList: 'DATACOSMOS_ORDER_LIST_PATH',
};

/** Which paths must hold the order's id. */
export const PATHS_WITH_ORDER_ID: readonly UnconfirmedPath[] = ['orderGet', 'orderCheckout'];

/** A path template with the order's id filled in. */
export function withOrderId(template: string, orderId: string): string {
  return template.split('{order_id}').join(enc(orderId));
}

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

/** Endpoints whose paths (or, for the batch price, whose body) the docs do not confirm: a 404 or 405 there says so. */
export const UNCONFIRMED_ENDPOINTS: Readonly<Partial<Record<EndpointName, string>>> = {
  order_get: `the path is an assumption: set ${UNCONFIRMED_PATH_VARIABLES.orderGet} if your API serves order details elsewhere`,
  order_checkout: `the path is an assumption: set ${UNCONFIRMED_PATH_VARIABLES.orderCheckout} if your API serves checkout elsewhere`,
  order_list: `no document shows an order list: set ${UNCONFIRMED_PATH_VARIABLES.orderList} if your API has one`,
  price_batch:
    'the v1 batch price is not documented: DATACOSMOS_PRICING=v0 prices each item with the documented v0 price',
};
