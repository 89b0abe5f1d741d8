import { Order, type OrderList } from './api-schemas';
import { DataCosmosError } from './errors';
import { describeMismatch } from './schema-check';
import type { OrderPage } from './types';

/** An order-list reply as a page: entries that cannot be read as orders are counted, not returned. */
export function toOrderPage(list: OrderList): OrderPage {
  const read = list.data.map((entry) => Order.safeParse(entry));
  const firstIssue = read.findIndex((entry) => !entry.success);
  return {
    orders: read.flatMap((entry) => (entry.success ? [entry.data] : [])),
    unreadable: read.filter((entry) => !entry.success).length,
    unreadableReason:
      firstIssue < 0
        ? null
        : describeMismatch('order_list', `data[${firstIssue}]`, read[firstIssue].error?.issues ?? []),
    nextCursor: nextCursorOf(list.pagination),
  };
}

/**
 * The next page's cursor (a number reads as its digits), or null when none is given. One that is there but cannot be
 * read fails the listing: taken for the last page, it would let a look for an order, or for owned items, stop short.
 */
function nextCursorOf(pagination: unknown): string | null {
  if (absent(pagination)) return null;
  if (typeof pagination !== 'object' || Array.isArray(pagination)) return unreadable('pagination', pagination);
  const cursor = (pagination as { next_cursor?: unknown }).next_cursor;
  if (absent(cursor)) return null;
  if (typeof cursor === 'string' || typeof cursor === 'number') return String(cursor);
  return unreadable('pagination.next_cursor', cursor);
}

/** How the API writes "no value". */
function absent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function unreadable(path: string, value: unknown): never {
  throw new DataCosmosError(
    `order_list: response ${path}: unreadable (${JSON.stringify(value)}), so the list may go on`,
    {
      kind: 'schema',
      endpoint: 'order_list',
      method: 'GET',
      retryable: false,
      schemaPath: path,
    },
  );
}
