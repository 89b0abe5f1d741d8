/**
 * The simulator's own table of DataCosmos paths (templates with `:name` segments) and endpoint
 * names (for faults and statistics). Routes match these templates; links in replies fill them.
 */
export const ENDPOINT_NAMES = [
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
] as const;
export type EndpointName = (typeof ENDPOINT_NAMES)[number];

export const PATHS = {
  token: '/oauth/token',
  policies: '/api/data/v1/dpap/organisations/:organisation/policies',
  stacCollections: '/api/data/v0/stac/collections',
  stacCollection: '/api/data/v0/stac/collections/:collection',
  stacItem: '/api/data/v0/stac/collections/:collection/items/:item',
  stacSearch: '/api/data/v0/stac/search',
  priceV1: '/api/data/v1/dpap/policies/:contract/catalog/price',
  priceBatchV1: '/api/data/v1/dpap/policies/:contract/catalog/price/batch',
  priceV0: '/api/data/v0/order/price',
  priceBatchV0: '/api/data/v0/order/price/batch',
  orders: '/api/data/v0/order/orders',
  order: '/api/data/v0/order/orders/:id',
  checkout: '/api/data/v0/order/orders/:id/checkout',
  storage: '/api/data/v0/storage/full/:collection/:item/:file',
  checkoutPage: '/checkout/:session',
  checkoutPay: '/checkout/:session/pay',
} as const;

/** The template with its `:name` segments replaced, in order, by the URL-encoded values. */
export function pathOf(template: string, ...values: string[]): string {
  let next = 0;
  return template.replace(/:\w+/g, () => encodeURIComponent(values[next++]));
}
