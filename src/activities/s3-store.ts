/**
 * The bucket operations delivery uses, over the AWS SDK's S3 client: credentials and region from the SDK's standard
 * chain (never from workflow input), path-style addressing for an S3-compatible endpoint. One client per endpoint.
 */
import { createHash } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { StoredPart } from '../shared/part-plan';

/** Metadata each object carries: the sha256 it was verified with, so a later delivery can skip it. */
const SHA256_META = 'sha256';
const DEFAULT_REGION = 'us-east-1';

export type S3Stores = (endpoint: string | undefined) => S3Store;

/** One store per endpoint (undefined: AWS S3), made on first use. */
export function createS3Stores(): S3Stores {
  const stores = new Map<string, S3Store>();
  return (endpoint) => {
    let store = stores.get(endpoint ?? '');
    if (!store) {
      store = new S3Store(endpoint);
      stores.set(endpoint ?? '', store);
    }
    return store;
  };
}

export class S3Store {
  private readonly s3: S3Client;

  constructor(endpoint: string | undefined) {
    this.s3 = new S3Client({
      region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? DEFAULT_REGION,
      ...(endpoint
        ? {
            endpoint,
            forcePathStyle: true,
            // Checksums only where the API requires them: not every S3-compatible store knows the newer headers.
            requestChecksumCalculation: 'WHEN_REQUIRED' as const,
            responseChecksumValidation: 'WHEN_REQUIRED' as const,
          }
        : {}),
    });
  }

  /** The object's size and recorded sha256, or null when there is no such object. */
  async head(bucket: string, key: string, signal: AbortSignal): Promise<{ size: number; sha256?: string } | null> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      return { size: head.ContentLength ?? 0, sha256: head.Metadata?.[SHA256_META] };
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
      throw err;
    }
  }

  async put(bucket: string, key: string, body: Buffer, sha256: string, signal: AbortSignal): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentMD5: md5(body), Metadata: meta(sha256) }),
      { abortSignal: signal },
    );
  }

  /** The object's text, or null when there is none. */
  async getText(bucket: string, key: string, signal: AbortSignal): Promise<string | null> {
    try {
      const reply = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
      return (await reply.Body?.transformToString('utf8')) ?? null;
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchKey') return null;
      throw err;
    }
  }

  /** Starts a multipart upload; the sha256 is recorded on the object when it is known before the bytes are. */
  async createUpload(bucket: string, key: string, sha256: string | undefined, signal: AbortSignal): Promise<string> {
    const created = await this.s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ...(sha256 ? { Metadata: meta(sha256) } : {}) }),
      { abortSignal: signal },
    );
    if (!created.UploadId) throw new Error(`the store started no upload for ${key}`);
    return created.UploadId;
  }

  /** Stores one part (the store checks it against its MD5, so a part stored is the part sent); its ETag. */
  async uploadPart(
    where: { bucket: string; key: string; uploadId: string },
    partNumber: number,
    body: Buffer,
    signal: AbortSignal,
  ): Promise<string> {
    const stored = await this.s3.send(
      new UploadPartCommand({
        Bucket: where.bucket,
        Key: where.key,
        UploadId: where.uploadId,
        PartNumber: partNumber,
        Body: body,
        ContentMD5: md5(body),
      }),
      { abortSignal: signal },
    );
    if (!stored.ETag) throw new Error(`the store gave no ETag for part ${partNumber} of ${where.key}`);
    return stored.ETag;
  }

  /** Every part the upload holds, or null when the store knows no such upload (completed or aborted). */
  async listParts(
    where: { bucket: string; key: string; uploadId: string },
    signal: AbortSignal,
  ): Promise<StoredPart[] | null> {
    const parts: StoredPart[] = [];
    let marker: string | undefined;
    try {
      do {
        const page = await this.s3.send(
          new ListPartsCommand({
            Bucket: where.bucket,
            Key: where.key,
            UploadId: where.uploadId,
            PartNumberMarker: marker,
          }),
          { abortSignal: signal },
        );
        for (const p of page.Parts ?? []) {
          parts.push({ partNumber: p.PartNumber ?? 0, size: p.Size ?? 0, etag: p.ETag ?? '' });
        }
        marker = page.IsTruncated ? page.NextPartNumberMarker : undefined;
      } while (marker);
    } catch (err) {
      if ((err as { name?: string }).name === 'NoSuchUpload') return null;
      throw err;
    }
    return parts;
  }

  async complete(
    where: { bucket: string; key: string; uploadId: string },
    parts: StoredPart[],
    signal: AbortSignal,
  ): Promise<void> {
    await this.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: where.bucket,
        Key: where.key,
        UploadId: where.uploadId,
        MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
      }),
      { abortSignal: signal },
    );
  }

  /** Aborts every upload of this key still open (one a killed attempt left before it recorded it, or a bad one). */
  async abortUploads(bucket: string, key: string, signal: AbortSignal): Promise<void> {
    let keyMarker: string | undefined;
    let idMarker: string | undefined;
    do {
      const page = await this.s3
        .send(
          new ListMultipartUploadsCommand({
            Bucket: bucket,
            Prefix: key,
            KeyMarker: keyMarker,
            UploadIdMarker: idMarker,
          }),
          { abortSignal: signal },
        )
        .catch(noUploads);
      for (const upload of page.Uploads ?? []) {
        if (upload.Key !== key || !upload.UploadId) continue;
        await this.s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: upload.UploadId }), {
          abortSignal: signal,
        });
      }
      [keyMarker, idMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
    } while (keyMarker);
  }
}

/** Some stores (gofakes3) answer NoSuchUpload for a bucket that has had no upload yet: none to list. */
function noUploads(err: unknown): { Uploads: []; IsTruncated: false } {
  if ((err as { name?: string }).name === 'NoSuchUpload') return { Uploads: [], IsTruncated: false };
  throw err;
}

function md5(body: Buffer): string {
  return createHash('md5').update(body).digest('base64');
}

function meta(sha256: string): Record<string, string> {
  return { [SHA256_META]: sha256 };
}
