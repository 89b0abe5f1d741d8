/** Shapes the client returns beyond the wire schemas of api-schemas.ts. */
import type { Readable } from 'node:stream';
import type { OrderStatus } from '../shared/purchase-types';
import type { Order, StacItem } from './api-schemas';

export interface SearchPage {
  items: StacItem[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
  /** Total matches, when the server counts them. */
  matched?: number;
}

export interface ListOrdersQuery {
  organisationId: number;
  status?: OrderStatus;
  /** ISO 8601 timestamp: only orders created at or after it. */
  createdAfter?: string;
  limit?: number;
  cursor?: string;
}

export interface OrderPage {
  orders: Order[];
  /** Entries of the page that were not readable orders (no id or status): the page cannot prove an order absent. */
  unreadable: number;
  /** What the first unreadable entry lacks, e.g. `order_list: response data[3].status: expected string`. */
  unreadableReason: string | null;
  nextCursor: string | null;
}

/** What a create reply says: the whole order, or at least its id (then the status may be unknown). */
export type CreatedOrder = Order | { id: string; status?: OrderStatus };

export interface CheckoutOutcome {
  /** The order, when the reply is one; otherwise read it to learn its status. */
  order: Order | null;
  /** Where the customer pays by card; null when the reply names no link (credits covered it, or it says nothing). */
  checkoutUrl: string | null;
}

export interface DownloadResult {
  status: 200 | 206;
  body: Readable;
  contentLength?: number;
}
