/** Shapes the client returns beyond the wire schemas of api-schemas.ts. */
import type { Readable } from 'node:stream';
import type { Order, OrderStatus, StacItem } from './api-schemas';

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
  nextCursor: string | null;
}

export interface CheckoutOutcome {
  order: Order;
  /** Where the customer pays by card; null when credits covered the order. */
  checkoutUrl: string | null;
}

export interface DownloadResult {
  status: 200 | 206;
  body: Readable;
  contentLength?: number;
}
