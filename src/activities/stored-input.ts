/**
 * What activities read of stored pages (src/shared/stored-pages.ts): a slice of a stored item list, a stored text
 * (a large area of interest or search). Pages never change once written, so the pages read last are kept in this
 * process: a batch reads a page of its item list for each chunk it plans.
 */
import { Context } from '@temporalio/activity';
import { readPage } from '../page-store/page-store';
import type { LineItemInput } from '../shared/purchase-types';
import { locate, pageId, type StoredList } from '../shared/stored-pages';

/** Pages kept: at most PAGE_BYTES each, so a few megabytes. */
const CACHED_PAGES = 32;
const cache = new Map<string, Promise<unknown[]>>();

function cachedPage(list: StoredList, page: number): Promise<unknown[]> {
  const client = Context.current().client;
  const key = `${client.options.namespace}/${pageId(list, page)}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const read = readPage(client, list, page);
  cache.set(key, read);
  read.catch(() => cache.delete(key));
  while (cache.size > CACHED_PAGES) cache.delete(cache.keys().next().value as string);
  return read;
}

/** `count` items of a stored item list from index `from`. */
export async function storedItems(list: StoredList, from: number, count: number): Promise<LineItemInput[]> {
  const items: LineItemInput[] = [];
  let index = from;
  const end = Math.min(from + count, list.count);
  while (index < end) {
    const { page, offset } = locate(list, index);
    const values = (await cachedPage(list, page)) as LineItemInput[];
    const taken = values.slice(offset, offset + (end - index));
    items.push(...taken);
    index += taken.length;
  }
  return items;
}

/** A stored text, whole. */
export async function storedText(list: StoredList): Promise<string> {
  const pages = await Promise.all(Array.from({ length: list.pages }, (_, page) => cachedPage(list, page)));
  return (pages.flat() as string[]).join('');
}
