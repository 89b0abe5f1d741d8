import type { StacItemCollection } from './api-schemas';
import type { SearchPage } from './types';

/**
 * A search reply as a page. The next page is the `rel: "next"` link: its POST `body.cursor` when
 * given, else the `cursor` parameter of its href.
 */
export function toSearchPage(collection: StacItemCollection): SearchPage {
  const next = collection.links.find((link) => link.rel === 'next');
  const matched = collection.numberMatched ?? collection.context?.matched;
  return {
    items: collection.features,
    nextCursor: next ? cursorOf(next.href, next.body) : null,
    ...(matched !== undefined ? { matched } : {}),
  };
}

function cursorOf(href: string, body: unknown): string | null {
  const fromBody = (body as { cursor?: unknown } | null | undefined)?.cursor;
  if (typeof fromBody === 'string' && fromBody) return fromBody;
  return new URL(href, 'http://relative.invalid').searchParams.get('cursor') || null;
}
