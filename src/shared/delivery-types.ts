/** Delivery after PAID: where files go and how each item's files were delivered (purchases and batches). */
export interface DeliverOptions {
  /** A directory on the worker's machine: files land in DIR/COLLECTION/ITEM/FILE. */
  dir: string;
  /** A download silent for this long is retried elsewhere (default 30 s). */
  heartbeatTimeoutMs?: number;
}

export type DeliveryState = 'DELIVERED' | 'FAILED';

/** How one item's files were delivered after its order was PAID. */
export interface ItemDelivery {
  collection: string;
  item: string;
  state: DeliveryState;
  files: string[];
  reason: string | null;
}
