import { Order, type OrderList } from './api-schemas';
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
    nextCursor: list.pagination?.next_cursor ?? null,
  };
}
