/**
 * The route table: method + path template -> handler, with the endpoint name used for faults and
 * stats. Some endpoints exist in the full API variant only; the documented one answers 404 there.
 */
import { ADMIN_API } from './admin';
import { tokenReply } from './auth';
import { checkoutOrder } from './checkout';
import { payCheckout, showCheckoutPage } from './checkout-page';
import { apiVariant, type Handler } from './context';
import type { ApiVariant } from './options';
import { createOrder, getOrder, listOrders } from './order-routes';
import { PATHS, type EndpointName } from './paths';
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
  /** False for endpoints the documented variant leaves out: no published example shows their reply. */
  documented: boolean;
}

const SEGMENT = '([^/]+)';

function route(method: string, path: string, kind: RouteKind, handler: Handler, documented = true): Route {
  return { method, pattern: new RegExp(`^${path.replace(/:\w+/g, SEGMENT)}$`), kind, handler, documented };
}

const UNDOCUMENTED = false;

export const ROUTES: Route[] = [
  route('POST', PATHS.token, 'token', (ctx) =>
    tokenReply(ctx.sim.signer, ctx.sim.state.settings.tokenLifetimeS, apiVariant(ctx), ctx.req, ctx.body),
  ),
  route('GET', PATHS.policies, 'policies', listPolicies),
  route('GET', PATHS.stacCollections, 'stac_collections', listCollections),
  route('GET', PATHS.stacCollection, 'stac_collections', getCollection),
  route('GET', PATHS.stacItem, 'stac_item', getItem),
  route('GET', PATHS.stacSearch, 'stac_search', searchGet),
  route('POST', PATHS.stacSearch, 'stac_search', searchPost),
  route('GET', PATHS.priceV1, 'price', priceV1),
  route('POST', PATHS.priceBatchV1, 'price_batch', priceBatchV1, UNDOCUMENTED),
  route('GET', PATHS.priceV0, 'price', priceV0),
  route('POST', PATHS.priceBatchV0, 'price_batch', priceBatchV0),
  route('POST', PATHS.orders, 'order_create', createOrder),
  route('GET', PATHS.orders, 'order_list', listOrders, UNDOCUMENTED),
  route('GET', PATHS.order, 'order_get', getOrder),
  route('POST', PATHS.checkout, 'order_checkout', checkoutOrder),
  route('GET', PATHS.storage, 'storage', downloadAsset),
  route('GET', PATHS.checkoutPage, 'checkout_page', showCheckoutPage),
  route('POST', PATHS.checkoutPay, 'checkout_page', payCheckout),
  ...Object.entries(ADMIN_API).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, handler]) => route(method, path, 'admin', handler)),
  ),
];

export type RouteMatch = { route: Route; params: string[] } | { status: 404 | 405 };

/** The route for a request; a route that is not in the API variant is "no such endpoint" (404), not 405. */
export function matchRoute(method: string, pathname: string, variant: ApiVariant): RouteMatch {
  const path = pathname.length > 1 && pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  let pathMatched = false;
  for (const candidate of ROUTES) {
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    if (candidate.method !== method) {
      pathMatched = true;
      continue;
    }
    if (!candidate.documented && variant === 'documented') return { status: 404 };
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
