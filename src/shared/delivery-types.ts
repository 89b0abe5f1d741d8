/** Delivery after PAID: where files go and how each item's files were delivered (purchases and batches). */

/** A bucket of S3 or of an S3-compatible store: objects land in PREFIX/ORDER_ID/COLLECTION/ITEM/ASSET. */
export interface S3Destination {
  bucket: string;
  /** No leading or trailing slash; empty for the bucket's root. */
  prefix: string;
  /** An S3-compatible endpoint (path-style addressing); unset: the worker's DELIVER_S3_ENDPOINT, else AWS. */
  endpoint?: string;
  /** Bytes per multipart part (default 8 MiB; S3 refuses parts under 5 MiB but the last; a multiple of 1 KiB). */
  partSizeBytes?: number;
}

/** Where files go: a directory on the worker's machine (`dir`) or a bucket (`s3`), exactly one of them. */
export interface DeliverOptions {
  /** A directory on the worker's machine: files land in DIR/COLLECTION/ITEM/FILE. */
  dir?: string;
  s3?: S3Destination;
  /** A download silent for this long is retried elsewhere (default 30 s). */
  heartbeatTimeoutMs?: number;
}

/** One item to deliver, with the order that holds it (the bucket layout names it). */
export interface DeliveryLine {
  collection: string;
  item: string;
  orderId?: string;
}

export type DeliveryState = 'DELIVERED' | 'FAILED';

/** How one item's files were delivered after its order was PAID. */
export interface ItemDelivery {
  collection: string;
  item: string;
  state: DeliveryState;
  /** Paths on the worker's machine, or `s3://BUCKET/KEY` URLs. */
  files: string[];
  reason: string | null;
}

/** `dcp redeliver`: the items of a purchase that has ended, delivered again. */
export interface RedeliveryInput {
  /** The purchase whose items these are. */
  purchaseId: string;
  deliver: DeliverOptions;
  items: DeliveryLine[];
}
