import { DataCosmosClient, type RequestEvent } from '../datacosmos';
import type { Settings } from './settings';

/**
 * The client of one worker or CLI process. Activities make one attempt per activity attempt (Temporal
 * retries them); the CLI, calling directly, lets the client retry transient failures.
 */
export function createDataCosmosClient(
  settings: Settings,
  options: {
    retry: boolean;
    onRequest?: (event: RequestEvent) => void;
    onPricingFallback?: (reason: string) => void;
  } = { retry: false },
): DataCosmosClient {
  const d = settings.datacosmos;
  return new DataCosmosClient({
    apiUrl: d.apiUrl,
    authUrl: d.authUrl,
    clientId: d.clientId,
    clientSecret: d.clientSecret,
    audience: d.audience,
    requestTimeoutMs: d.requestTimeoutMs,
    maxRequestsPerSecond: d.maxRequestsPerSecond,
    pricing: d.pricing,
    paths: d.paths,
    onRequest: options.onRequest,
    onPricingFallback: options.onPricingFallback,
    ...(options.retry ? {} : { retry: false as const }),
  });
}
