/**
 * How much one purchase carries: its line items stay under MAX_LINE_ITEMS_BYTES of JSON (a sub-area line item
 * holds a polygon of up to a hundred vertices, so 500 of them would make a purchase's input, status and result
 * each over a megabyte), and its PurchaseItems search attribute under the server's limit for one value. Pure.
 */
import { jsonBytes } from './stored-pages';
import { CLAIM_SHARDS, claimShard } from './claim-types';
import { itemKey } from './item-key';
import type { LineItemInput } from './purchase-types';

/** The line items of one purchase, as JSON: its input, status and result then stay well under 512 KB. */
export const MAX_LINE_ITEMS_BYTES = 128 * 1024;

/** The server refuses a search attribute value over 2 KB (`limit.searchAttributesSizeOfValueBytes`). */
export const MAX_SEARCH_ATTRIBUTE_BYTES = 2 * 1024;

/** How many of the lines, from the first, one purchase takes: up to `size`, fewer past `maxBytes` (never none). */
function fittingCount(lines: readonly LineItemInput[], size: number, maxBytes: number): number {
  let bytes = 2;
  let count = 0;
  while (count < Math.min(size, lines.length)) {
    const next = jsonBytes(lines[count]) + 1;
    if (count > 0 && bytes + next > maxBytes) break;
    bytes += next;
    count += 1;
  }
  return count;
}

/**
 * Takes the next group off the front of the queue: up to `size` items, fewer when their line items would pass
 * MAX_LINE_ITEMS_BYTES (never none: an item alone always fits, being bounded by the id and vertex limits).
 */
export function takeGroup<T extends LineItemInput>(queue: T[], size: number, maxBytes = MAX_LINE_ITEMS_BYTES): T[] {
  return queue.splice(0, fittingCount(queue, size, maxBytes));
}

/**
 * Takes a group as `takeGroup` does, but of items whose claims live in as few registries as the queue allows: the
 * items of the claim shard most queued first (in queue order), then of the next. A purchase claims and settles its
 * items in every registry they fall in: a 20-item order in queue order touched about 17 of the 64.
 */
export function takeShardGroup<T extends LineItemInput>(
  queue: T[],
  size: number,
  maxBytes = MAX_LINE_ITEMS_BYTES,
): T[] {
  const shards = new Map<number, number[]>();
  queue.forEach((line, index) => {
    const shard = shardOf(line);
    const indices = shards.get(shard);
    if (indices) indices.push(index);
    else shards.set(shard, [index]);
  });
  // Only the first `size` of the queue's shard order can be taken: only they are looked up as lines.
  const candidates = [...shards.values()]
    .sort((a, b) => b.length - a.length || a[0] - b[0])
    .flat()
    .slice(0, size);
  const lines = candidates.map((index) => queue[index]);
  const count = fittingCount(lines, size, maxBytes);
  const taken = new Set(candidates.slice(0, count));
  queue.splice(0, queue.length, ...queue.filter((_, index) => !taken.has(index)));
  return lines.slice(0, count);
}

/**
 * The most items the per-shard part of a batch's queue floor asks for: four chunks of planning ahead, about 400 KB of
 * the 2 MiB a batch's run may write before it continues as new.
 */
const MAX_SHARD_QUEUE = 2_000;

/**
 * How few planned items a batch keeps queued before it plans the next chunk: two windows (`concurrency` orders), and
 * an order's worth for each claim shard (up to MAX_SHARD_QUEUE), so the most queued shard usually holds a whole group
 * and the order claims and settles in one registry. Kept to two windows (the first rule), a 20-item order at 10 at a
 * time came from a queue of 400 to 900 items, about 10 a shard, and claimed in two or three registries.
 */
export function queueFloor(groupSize: number, concurrency: number, perShard: boolean): number {
  const windows = 2 * concurrency * groupSize;
  return perShard ? Math.max(windows, Math.min(CLAIM_SHARDS * groupSize, MAX_SHARD_QUEUE)) : windows;
}

/**
 * Each queued line's claim shard, hashed once: a batch takes a group from the same queue of up to a thousand lines
 * for every purchase it starts, and hashing them all each time was most of its workflow code's CPU. The value
 * depends on the line alone, so what is kept changes no outcome (nor a replay).
 */
const shardOfLine = new WeakMap<LineItemInput, number>();

function shardOf(line: LineItemInput): number {
  let shard = shardOfLine.get(line);
  if (shard === undefined) {
    shard = claimShard(itemKey(line));
    shardOfLine.set(line, shard);
  }
  return shard;
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
