/**
 * Delivery to a bucket, the pure part: reading `s3://BUCKET/PREFIX` and an endpoint URL (each refusal one line),
 * and where each object goes: PREFIX/ORDER_ID/COLLECTION/ITEM/ASSET, beside PREFIX/ORDER_ID/manifest.json.
 */
import type { S3Destination } from './delivery-types';

/** Bytes per part unless a destination says otherwise. */
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
/** Parts are whole KiB, so the sha256 state between parts has no buffered bytes (64-byte blocks). */
export const PART_SIZE_UNIT = 1024;
/** S3 allows 10,000 parts per upload. */
export const MAX_PARTS = 10_000;
const MAX_PREFIX = 512;
/** Written for an item whose holding order is not known (owned through another purchase that did not say). */
export const UNKNOWN_ORDER = 'unknown-order';

/** `s3://BUCKET` or `s3://BUCKET/PREFIX` as a destination; throws a one-line RangeError naming what is wrong. */
export function parseS3Url(text: string): Pick<S3Destination, 'bucket' | 'prefix'> {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(text);
  if (!match) throw new RangeError('must be s3://BUCKET or s3://BUCKET/PREFIX');
  const [, bucket, rest = ''] = match;
  const bucketProblem = bucketNameProblem(bucket);
  if (bucketProblem) throw new RangeError(`bucket "${bucket}" ${bucketProblem}`);
  const prefix = rest.replace(/\/+$/, '');
  const prefixProblem = prefixProblemOf(prefix);
  if (prefixProblem) throw new RangeError(`prefix "${prefix}" ${prefixProblem}`);
  return { bucket, prefix };
}

/** Whether a delivery destination names a bucket (`s3:...`, a mistyped one too) rather than a directory. */
export function isS3Url(text: string): boolean {
  return /^s3:/i.test(text);
}

/** An S3-compatible endpoint: an http(s) URL with a host and no query; throws a one-line RangeError. */
export function checkEndpoint(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError('must be an http(s) URL, like http://127.0.0.1:9000');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.host === '' || url.search !== '' || url.hash !== '') {
    throw new RangeError('must be an http(s) URL, like http://127.0.0.1:9000');
  }
  return text.replace(/\/+$/, '');
}

function bucketNameProblem(bucket: string): string | null {
  if (bucket.length < 3 || bucket.length > 63) return 'must be 3 to 63 characters';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(bucket)) {
    return 'may hold only lower-case letters, digits, dots and hyphens, and start and end with a letter or digit';
  }
  if (bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) return 'is not a valid bucket name';
  return null;
}

function prefixProblemOf(prefix: string): string | null {
  if (prefix.length > MAX_PREFIX) return `is over ${MAX_PREFIX} characters`;
  if (prefix === '') return null;
  if ([...prefix].some((c) => c < ' ' || c === '\u007f' || c === '\\'))
    return 'holds a control character or a backslash';
  const segments = prefix.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'has an empty, "." or ".." segment';
  return null;
}

/** The key of one asset: PREFIX/ORDER_ID/COLLECTION/ITEM/ASSET (the asset's file name). */
export function objectKey(
  prefix: string,
  line: { orderId?: string; collection: string; item: string },
  asset: string,
): string {
  return joinKey(prefix, line.orderId ?? UNKNOWN_ORDER, line.collection, line.item, asset);
}

/** The manifest of one order: PREFIX/ORDER_ID/manifest.json. */
export function manifestKey(prefix: string, orderId: string): string {
  return joinKey(prefix, orderId, 'manifest.json');
}

/** `s3://BUCKET/KEY`, as delivery reports name objects. */
export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}

function joinKey(prefix: string, ...parts: string[]): string {
  return [...(prefix ? [prefix] : []), ...parts].join('/');
}

/** Why a destination's part size cannot be used, or null. */
export function partSizeProblem(bytes: number): string | null {
  if (!Number.isInteger(bytes) || bytes < PART_SIZE_UNIT || bytes % PART_SIZE_UNIT !== 0) {
    return `part size ${bytes} must be a whole number of KiB`;
  }
  return null;
}
