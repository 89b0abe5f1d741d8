/**
 * Delivery into a bucket: each asset to PREFIX/ORDER_ID/COLLECTION/ITEM/ASSET (s3-upload.ts), then one manifest per
 * order (PREFIX/ORDER_ID/manifest.json) listing the objects delivered, merged into the one already there. A bucket
 * that refuses (missing, denied, no credentials) fails the object with the store's reason; anything a retry may
 * cure is left to Temporal.
 */
import type { DataCosmosClient } from '../datacosmos';
import { buildManifest, readManifest, type ManifestObject } from '../shared/delivery-manifest';
import type { DeliveryLine, S3Destination } from '../shared/delivery-types';
import type { UploadProgress } from '../shared/part-plan';
import {
  DEFAULT_PART_SIZE,
  UNKNOWN_ORDER,
  manifestKey,
  objectKey,
  partSizeProblem,
  s3Url,
} from '../shared/s3-destination';
import type { AssetFile, DeliveryTarget } from './delivery-target';
import { businessRule, s3Refusal } from './failures';
import { sha256Hex } from './file-check';
import type { S3Store } from './s3-store';
import { uploadVerified } from './s3-upload';

export interface S3TargetContext {
  client: DataCosmosClient;
  store: S3Store;
  signal: AbortSignal;
  attempts: number;
  /** What earlier attempts recorded, by object key. */
  saved: Record<string, UploadProgress>;
  record(key: string, progress: UploadProgress | null): void;
  progress(bytes: number): void;
}

export function s3Target(destination: S3Destination, ctx: S3TargetContext): DeliveryTarget {
  const { bucket, prefix } = destination;
  const partSize = destination.partSizeBytes ?? DEFAULT_PART_SIZE;
  const badPartSize = partSizeProblem(partSize);
  const delivered = new Map<string, ManifestObject[]>();
  return {
    async deliver(line: DeliveryLine, asset: AssetFile) {
      const key = objectKey(prefix, line, asset.name);
      const file = s3Url(bucket, key);
      if (badPartSize) return { file, problem: `${file}: ${badPartSize}` };
      try {
        const outcome = await uploadVerified(
          { ...asset, bucket, key, partSize },
          { ...ctx, saved: ctx.saved[key], record: (progress) => ctx.record(key, progress) },
          ctx.attempts,
        );
        if (!outcome.ok) return { file, problem: `${file}: ${outcome.problem}` };
        const order = line.orderId ?? UNKNOWN_ORDER;
        const objects = delivered.get(order) ?? [];
        objects.push({
          key,
          collection: line.collection,
          item: line.item,
          asset: asset.name,
          size: outcome.size,
          sha256: outcome.sha256,
        });
        delivered.set(order, objects);
        return { file, problem: null };
      } catch (err) {
        const refusal = s3Refusal(err);
        if (refusal === null) throw err;
        return { file, problem: `${file}: ${refusal}` };
      }
    },

    async finish() {
      for (const [orderId, objects] of delivered) {
        const key = manifestKey(prefix, orderId);
        try {
          const previous = await ctx.store.getText(bucket, key, ctx.signal);
          const manifest = buildManifest(
            { orderId, bucket },
            objects,
            previous ? readManifest(previous) : null,
            new Date(),
          );
          const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
          await ctx.store.put(bucket, key, body, sha256Hex(body), ctx.signal);
        } catch (err) {
          const refusal = s3Refusal(err);
          if (refusal === null) throw err;
          throw businessRule(`manifest ${s3Url(bucket, key)}: ${refusal}`, 'DeliveryRefused');
        }
      }
    },
  };
}
