/**
 * Multipart uploads, the decisions: how a file is cut into parts, and what a retried upload keeps of the parts a
 * killed attempt stored. A part counts only when the attempt recorded it (with the sha256 state after it) in its
 * heartbeat and the store still lists it with its full size; parts after the first gap are uploaded again.
 */
import { MAX_PARTS } from './s3-destination';

/** The sha256 state after whole 64-byte blocks: eight 32-bit words and the bytes hashed. */
export interface HashState {
  words: number[];
  bytes: number;
}

/** What an attempt records in its heartbeat for one object being uploaded. */
export interface UploadProgress {
  uploadId: string;
  partSize: number;
  /** Parts 1..parts are stored; `hash` is the sha256 state after them. */
  parts: number;
  hash: HashState;
}

/** A part as the store lists it. */
export interface StoredPart {
  partNumber: number;
  size: number;
  etag: string;
}

/** The part size for a file: the destination's, or larger when the file would need more than 10,000 parts. */
export function partSizeFor(fileSize: number | undefined, partSize: number): number {
  if (fileSize === undefined || fileSize <= partSize * MAX_PARTS) return partSize;
  return Math.ceil(fileSize / MAX_PARTS / partSize) * partSize;
}

/**
 * How many of the recorded parts a retry keeps (0: start the object again): parts 1..n, each listed with the full
 * part size, within what the heartbeat recorded, at the same part size.
 */
export function partsToKeep(saved: UploadProgress, listed: StoredPart[], partSize: number): number {
  if (saved.partSize !== partSize || saved.hash.bytes !== saved.parts * partSize) return 0;
  const byNumber = new Map(listed.map((p) => [p.partNumber, p]));
  for (let n = 1; n <= saved.parts; n += 1) {
    if (byNumber.get(n)?.size !== partSize) return 0;
  }
  return saved.parts;
}
