import type { EndpointName } from './api-paths';
import { DataCosmosError } from './errors';

/**
 * Fetches page after page by cursor until a page has none. A cursor that comes back a second time
 * would loop forever, so it fails as a schema error naming the endpoint.
 */
export async function* followCursors<P extends { nextCursor: string | null }>(
  endpoint: EndpointName,
  method: string,
  fetchPage: (cursor: string | undefined) => Promise<P>,
): AsyncGenerator<P> {
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await fetchPage(cursor);
    yield page;
    if (page.nextCursor === null) return;
    if (seen.has(page.nextCursor)) {
      throw new DataCosmosError(`${endpoint}: response repeats the cursor of an earlier page`, {
        kind: 'schema',
        endpoint,
        method,
        retryable: false,
      });
    }
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}
