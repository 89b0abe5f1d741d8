/**
 * The rules that keep payloads small: lists cut into pages that each fit, texts cut into pieces, purchases grouped
 * under the line-item byte bound, and the PurchaseItems search attribute under the server's limit for one value.
 */
import {
  MAX_LINE_ITEMS_BYTES,
  MAX_SEARCH_ATTRIBUTE_BYTES,
  purchaseItemsValue,
  takeGroup,
} from '../../src/shared/purchase-groups';
import { purchaseInputProblems } from '../../src/shared/purchase-validation';
import { jsonBytes, locate, PAGE_BYTES, paginate, storedList, textPieces } from '../../src/shared/stored-pages';

const item = (n: number, extra: Record<string, unknown> = {}) => ({
  collection: 'menut-l1c-cogs',
  item: `MENUT_20251231T074018_L1C_${String(n).padStart(6, '0')}`,
  ...extra,
});

test('pages hold every value once, in order, and each fits PAGE_BYTES', () => {
  const values = Array.from({ length: 50_000 }, (_, n) => `menut-l1c-cogs/MENUT_20251231T074018_L1C_${n}`);
  const pages = paginate(values);
  expect(pages.flat()).toEqual(values);
  for (const page of pages) expect(jsonBytes(page)).toBeLessThanOrEqual(PAGE_BYTES);
  const list = storedList({ kind: 'workflow', id: 'b' }, 'items', pages);
  expect(list.count).toBe(50_000);
  expect(locate(list, 0)).toEqual({ page: 0, offset: 0 });
  const last = locate(list, 49_999);
  expect(pages[last.page][last.offset]).toBe(values[49_999]);
  expect(() => locate(list, 50_000)).toThrow(RangeError);
  expect(() => paginate(['x'.repeat(PAGE_BYTES)])).toThrow(/does not fit a page/);
});

test('a long text is cut into pieces that join back to it, each fitting a page even fully escaped', () => {
  const text = JSON.stringify({
    coordinates: Array.from({ length: 30_000 }, (_, n) => [n / 7, -n / 3]),
    emoji: '🛰️'.repeat(999),
  });
  const pieces = textPieces(text);
  expect(pieces.join('')).toBe(text);
  for (const piece of pieces) expect(piece.length * 6 + 2).toBeLessThanOrEqual(PAGE_BYTES);
  // No surrogate pair is split between two pieces.
  for (const piece of pieces) expect(() => encodeURIComponent(piece)).not.toThrow();
});

test('groups take up to their size, and fewer when the line items would pass the byte bound', () => {
  const plain = Array.from({ length: 30 }, (_, n) => item(n));
  expect(takeGroup([...plain], 20)).toHaveLength(20);
  const polygon = { type: 'Polygon', coordinates: [Array.from({ length: 100 }, (_, n) => [n / 1000, n / 1000])] };
  const parts = Array.from({ length: 100 }, (_, n) => item(n, { geometry: polygon, projectId: 'p' }));
  const queue = [...parts];
  const group = takeGroup(queue, 100);
  expect(jsonBytes(group)).toBeLessThanOrEqual(MAX_LINE_ITEMS_BYTES);
  expect(group.length).toBeLessThan(100);
  expect(queue).toHaveLength(100 - group.length);
  expect(purchaseInputProblems({ purchaseId: 'p1', items: group as never })).toEqual([]);
  expect(purchaseInputProblems({ purchaseId: 'p1', items: parts as never }).join()).toMatch(
    /bytes of line items, over the/,
  );
});

test('PurchaseItems holds the first keys that fit the server limit for one value', () => {
  const keys = purchaseItemsValue(Array.from({ length: 500 }, (_, n) => item(n)));
  expect(jsonBytes(keys)).toBeLessThanOrEqual(MAX_SEARCH_ATTRIBUTE_BYTES);
  expect(keys[0]).toBe('menut-l1c-cogs/MENUT_20251231T074018_L1C_000000');
  expect(keys.length).toBeGreaterThan(30);
  expect(purchaseItemsValue([item(1)])).toEqual(['menut-l1c-cogs/MENUT_20251231T074018_L1C_000001']);
});
