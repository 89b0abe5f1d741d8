import { AUDIENCE, UNCONFIRMED_PATHS, type EndpointName, type UnconfirmedPath } from './api-paths';
import type { RetryPolicy } from './backoff';

/** One HTTP exchange as seen by metrics and logs; deliberately without headers or bodies. */
export interface RequestEvent {
  endpoint: EndpointName;
  method: string;
  status: number | 'error';
  durationMs: number;
  attempt: number;
}

export interface DataCosmosClientOptions {
  /** e.g. https://app.open-cosmos.com or the simulator URL */
  apiUrl: string;
  /** Token endpoint base, e.g. https://login.open-cosmos.com (path /oauth/token appended) */
  authUrl: string;
  clientId: string;
  clientSecret: string;
  /** Default AUDIENCE */
  audience?: string;
  /** Per request (headers and body), default 30_000 */
  requestTimeoutMs?: number;
  /** Default {4, 200, 5000}; false = single attempt (activities: Temporal retries) */
  retry?: RetryPolicy | false;
  /**
   * Retries of a page after the first of a multi-page read (order list, search, collections), default
   * {4, 200, 5000}: with `retry: false`, one rate-limited page would otherwise throw away the pages before it.
   */
  pageRetry?: RetryPolicy | false;
  /** Refresh the token this long before it expires, default 180 */
  tokenRefreshMarginS?: number;
  /** Pace requests to at most this many per second (all endpoints together); default unlimited */
  maxRequestsPerSecond?: number;
  /** For metrics and logs; never includes headers */
  onRequest?: (event: RequestEvent) => void;
  /** Replacements for the paths the docs do not confirm (order details, checkout, order list). */
  paths?: Partial<Record<UnconfirmedPath, string>>;
  /** Which price endpoint: `auto` (default) tries the v1 batch and keeps to the v0 price when it is not served. */
  pricing?: PricingMode;
  /** Told once, when `auto` pricing gives up the v1 batch for the v0 price. */
  onPricingFallback?: (reason: string) => void;
}

export const PRICING_MODES = ['auto', 'v1-batch', 'v0'] as const;
export type PricingMode = (typeof PRICING_MODES)[number];

type OptionalOptions = 'onRequest' | 'maxRequestsPerSecond' | 'onPricingFallback';
export type ResolvedOptions = Required<Omit<DataCosmosClientOptions, OptionalOptions | 'paths'>> &
  Pick<DataCosmosClientOptions, OptionalOptions> & { paths: Record<UnconfirmedPath, string> };

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };

export function resolveOptions(options: DataCosmosClientOptions): ResolvedOptions {
  for (const key of ['apiUrl', 'authUrl', 'clientId', 'clientSecret'] as const) {
    if (!options[key]) throw new TypeError(`DataCosmosClient: option ${key} is required`);
  }
  return {
    apiUrl: options.apiUrl.replace(/\/+$/, ''),
    authUrl: options.authUrl.replace(/\/+$/, ''),
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    audience: options.audience ?? AUDIENCE,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    retry: options.retry ?? DEFAULT_RETRY,
    pageRetry: options.pageRetry ?? DEFAULT_RETRY,
    tokenRefreshMarginS: options.tokenRefreshMarginS ?? 180,
    onRequest: options.onRequest,
    maxRequestsPerSecond: options.maxRequestsPerSecond,
    paths: { ...UNCONFIRMED_PATHS, ...options.paths },
    pricing: options.pricing ?? 'auto',
    onPricingFallback: options.onPricingFallback,
  };
}
