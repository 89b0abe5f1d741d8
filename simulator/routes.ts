/** The route table: method + path pattern -> handler, with the endpoint name used for faults and stats. */
import type { EndpointName } from './legacy-paths';
import * as admin from './admin';
import { tokenReply } from './auth';
import { checkoutOrder } from './checkout';
import { payCheckout, showCheckoutPage } from './checkout-page';
import type { Handler } from './context';
import { createOrder, getOrder, listOrders } from './order-routes';
import { listPolicies } from './policies';
import { priceBatchV0, priceBatchV1, priceV0, priceV1 } from './pricing-routes';
import { getCollection, getItem, listCollections, searchGet, searchPost } from './stac-routes';
import { downloadAsset } from './storage';

/** API endpoints carry their EndpointName; the simulator's own pages and admin API do not take faults. */
export type RouteKind = EndpointName | 'checkout_page' | 'admin';

export interface Route {
  method: string;
  pattern: RegExp;
  kind: RouteKind;
  handler: Handler;
}

const SEGMENT = '([^/]+)';

function route(method: string, path: string, kind: RouteKind, handler: Handler): Route {
  return { method, pattern: new RegExp(`^${path.replace(/:\w+/g, SEGMENT)}$`), kind, handler };
}

export const ROUTES: Route[] = [
  route('POST', '/oauth/token', 'token', (ctx) =>
    tokenReply(ctx.sim.signer, ctx.sim.state.settings.tokenLifetimeS, ctx.req, ctx.body),
  ),
  route('GET', '/api/data/v1/dpap/organisations/:org/policies', 'policies', listPolicies),
  route('GET', '/api/data/v0/stac/collections', 'stac_collections', listCollections),
  route('GET', '/api/data/v0/stac/collections/:collection', 'stac_collections', getCollection),
  route('GET', '/api/data/v0/stac/collections/:collection/items/:item', 'stac_item', getItem),
  route('GET', '/api/data/v0/stac/search', 'stac_search', searchGet),
  route('POST', '/api/data/v0/stac/search', 'stac_search', searchPost),
  route('GET', '/api/data/v1/dpap/policies/:contract/catalog/price', 'price', priceV1),
  route('POST', '/api/data/v1/dpap/policies/:contract/catalog/price/batch', 'price_batch', priceBatchV1),
  route('GET', '/api/data/v0/order/price', 'price', priceV0),
  route('POST', '/api/data/v0/order/price/batch', 'price_batch', priceBatchV0),
  route('POST', '/api/data/v0/order/orders', 'order_create', createOrder),
  route('GET', '/api/data/v0/order/orders', 'order_list', listOrders),
  route('GET', '/api/data/v0/order/orders/:id', 'order_get', getOrder),
  route('POST', '/api/data/v0/order/orders/:id/checkout', 'order_checkout', checkoutOrder),
  route('GET', '/api/data/v0/storage/full/:collection/:item/:file', 'storage', downloadAsset),
  route('GET', '/checkout/:session', 'checkout_page', showCheckoutPage),
  route('POST', '/checkout/:session/pay', 'checkout_page', payCheckout),
  route('GET', '/__sim/organisations', 'admin', admin.adminOrganisations),
  route('PUT', '/__sim/organisations/:id/credits', 'admin', admin.adminSetCredits),
  route('GET', '/__sim/orders', 'admin', admin.adminOrders),
  route('POST', '/__sim/orders/:id/pay', 'admin', admin.adminPayOrder),
  route('POST', '/__sim/orders/:id/cancel', 'admin', admin.adminCancelOrder),
  route('GET', '/__sim/faults', 'admin', admin.adminGetFaults),
  route('PUT', '/__sim/faults', 'admin', admin.adminPutFaults),
  route('GET', '/__sim/stats', 'admin', admin.adminGetStats),
  route('DELETE', '/__sim/stats', 'admin', admin.adminClearStats),
  route('GET', '/__sim/settings', 'admin', admin.adminGetSettings),
  route('PUT', '/__sim/settings', 'admin', admin.adminPutSettings),
  route('POST', '/__sim/reset', 'admin', admin.adminReset),
];

export type RouteMatch = { route: Route; params: string[] } | { status: 404 | 405 };

export function matchRoute(method: string, pathname: string): RouteMatch {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  let pathMatched = false;
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    if (candidate.method !== method) {
      pathMatched = true;
      continue;
    }
    return { route: candidate, params: match.slice(1).map(decodeSegment) };
  }
  return { status: pathMatched ? 405 : 404 };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
