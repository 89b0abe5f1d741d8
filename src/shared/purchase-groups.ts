/**
 * How much one purchase carries: its line items stay under MAX_LINE_ITEMS_BYTES of JSON (a sub-area line item
 * holds a polygon of up to a hundred vertices, so 500 of them would make a purchase's input, status and result
 * each over a megabyte), and its PurchaseItems search attribute under the server's limit for one value. Pure.
 */
import { jsonBytes } from './stored-pages';
import { itemKey } from './item-key';
import type { LineItemInput } from './purchase-types';

/** The line items of one purchase, as JSON: its input, status and result then stay well under 512 KB. */
export const MAX_LINE_ITEMS_BYTES = 128 * 1024;

/** The server refuses a search attribute value over 2 KB (`limit.searchAttributesSizeOfValueBytes`). */
export const MAX_SEARCH_ATTRIBUTE_BYTES = 2 * 1024;

/**
 * Takes the next group off the front of the queue: up to `size` items, fewer when their line items would pass
 * MAX_LINE_ITEMS_BYTES (never none: an item alone always fits, being bounded by the id and vertex limits).
 */
export function takeGroup<T extends LineItemInput>(queue: T[], size: number, maxBytes = MAX_LINE_ITEMS_BYTES): T[] {
  let bytes = 2;
  let count = 0;
  while (count < Math.min(size, queue.length)) {
    const next = jsonBytes(queue[count]) + 1;
    if (count > 0 && bytes + next > maxBytes) break;
    bytes += next;
    count += 1;
  }
  return queue.splice(0, count);
}

/** The items' keys for the PurchaseItems search attribute: as many as fit the server's limit for one value. */
export function purchaseItemsValue(items: readonly LineItemInput[]): string[] {
  const keys: string[] = [];
  let bytes = 2;
  for (const item of items) {
    const key = itemKey(item);
    bytes += jsonBytes(key) + 1;
    if (bytes > MAX_SEARCH_ATTRIBUTE_BYTES) break;
    keys.push(key);
  }
  return keys;
}
