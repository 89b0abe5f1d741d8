import type { EndpointName } from './api-paths';
import type { RetryPolicy } from './backoff';
import { DataCosmosError } from './errors';
import { withRetry } from './retry';

/** A page whose next cursor is one already followed: paging on would never end. */
export function repeatedCursor(endpoint: EndpointName, method: string): DataCosmosError {
  return new DataCosmosError(`${endpoint}: response repeats the cursor of an earlier page`, {
    kind: 'schema',
    endpoint,
    method,
    retryable: false,
  });
}

/**
 * Fetches page after page by cursor until a page has none. A page after the first is retried in place per
 * `laterPages.retry` (a failure there would throw away the pages already read). A cursor that comes back a
 * second time would loop forever, so it fails as a schema error naming the endpoint.
 */
export async function* followCursors<P extends { nextCursor: string | null }>(
  endpoint: EndpointName,
  method: string,
  fetchPage: (cursor: string | undefined) => Promise<P>,
  laterPages: { retry: RetryPolicy | false; signal?: AbortSignal },
): AsyncGenerator<P> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const next = cursor;
    const page =
      next === undefined
        ? await fetchPage(next)
        : await withRetry(laterPages.retry, laterPages.signal, () => fetchPage(next));
    yield page;
    if (page.nextCursor === null) return;
    if (seen.has(page.nextCursor)) throw repeatedCursor(endpoint, method);
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}
