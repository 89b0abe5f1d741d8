/**
 * Delivery: after an order is PAID, every asset of each item is delivered with the bearer token to a directory
 * (DIR/COLLECTION/ITEM/FILE, downloaded with HTTP Range resumption and renamed into place) or to a bucket
 * (PREFIX/ORDER_ID/COLLECTION/ITEM/ASSET, streamed in parts, plus a manifest per order). Each file is verified
 * (multihash sha256 `file:checksum`, else `file:size`), files already verified are skipped, and the activity
 * heartbeats its bytes (and its open uploads) so a killed worker's delivery resumes on another worker.
 */
import { Context } from '@temporalio/activity';
import type { DataCosmosClient } from '../datacosmos';
import type { DeliveryLine, ItemDelivery, S3Destination } from '../shared/delivery-types';
import type { UploadProgress } from '../shared/part-plan';
import { itemKey } from '../shared/item-key';
import { assetFileNames } from './asset-names';
import { dirTarget, type AssetFile, type DeliveryTarget } from './delivery-target';
import { apiStep, businessRule } from './failures';
import { s3Target } from './s3-delivery';
import type { S3Stores } from './s3-store';
import { createSemaphore } from './semaphore';

export interface DeliverItemsInput {
  /** A directory on the worker's machine; or */
  dir?: string;
  /** a bucket. */
  s3?: S3Destination;
  items: DeliveryLine[];
}

/** What the activity heartbeats: bytes so far, and the multipart uploads open, by object key. */
interface DeliveryHeartbeat {
  bytesDone: number;
  uploads?: Record<string, UploadProgress>;
}

/** Why an item whose catalog entry lists no asset that can be read is not delivered. */
export const NO_ASSETS = 'the catalog lists no asset of this item that can be downloaded';

/** A file whose checksum keeps failing is given up after this many downloads; its item fails. */
const CHECKSUM_ATTEMPTS = 3;

export function createDeliveryActivities(deps: {
  client: DataCosmosClient;
  maxParallelDownloads?: number;
  /** DELIVER_S3_ENDPOINT: the store of buckets whose destination names no endpoint (unset: AWS S3). */
  s3Endpoint?: string;
}) {
  const { client } = deps;
  const downloads = createSemaphore(deps.maxParallelDownloads ?? 4);
  // The AWS SDK loads on the first delivery to a bucket: most workers never deliver to one, and it is large.
  let stores: S3Stores | undefined;
  const storeFor = async (endpoint: string | undefined) => {
    stores ??= (await import('./s3-store')).createS3Stores();
    return stores(endpoint);
  };
  return {
    async deliverItems(input: DeliverItemsInput): Promise<ItemDelivery[]> {
      const ctx = Context.current();
      if (input.dir === undefined && input.s3 === undefined) {
        throw businessRule('the delivery names no directory and no bucket', 'DeliveryRefused');
      }
      const saved = (ctx.info.heartbeatDetails as DeliveryHeartbeat | undefined)?.uploads ?? {};
      const beat: DeliveryHeartbeat = { bytesDone: 0, uploads: { ...saved } };
      const progress = (bytes: number) => {
        beat.bytesDone += bytes;
        ctx.heartbeat(beat);
      };
      ctx.heartbeat(beat);
      const common = { client, attempts: CHECKSUM_ATTEMPTS, signal: ctx.cancellationSignal, progress };
      const target: DeliveryTarget = input.s3
        ? s3Target(input.s3, {
            ...common,
            store: await storeFor(input.s3.endpoint ?? deps.s3Endpoint),
            saved,
            record: (key, upload) => {
              if (upload) beat.uploads = { ...beat.uploads, [key]: upload };
              else delete beat.uploads?.[key];
              ctx.heartbeat(beat);
            },
          })
        : dirTarget(input.dir as string, common);
      const results: ItemDelivery[] = [];
      for (const line of input.items) {
        const stacItem = await apiStep(() => client.getItem(line.collection, line.item, ctx.cancellationSignal));
        // Items whose files are all there already move no bytes: a retry or a redelivery of many of them still beats.
        progress(0);
        const names = assetFileNames(stacItem.assets);
        const assets: AssetFile[] = Object.entries(stacItem.assets).map(([key, asset]) => ({
          href: asset.href,
          name: names.get(key) as string,
          size: asset['file:size'],
          checksum: asset['file:checksum'],
        }));
        const outcomes = await Promise.all(assets.map((asset) => downloads.run(() => target.deliver(line, asset))));
        // A paid item with nothing to download is not delivered: once its assets can be read, a redelivery fetches them.
        const failed = assets.length === 0 ? NO_ASSETS : (outcomes.find((o) => o.problem !== null)?.problem ?? null);
        if (failed) ctx.log.warn('delivery failed', { item: itemKey(line), reason: failed });
        results.push({
          collection: line.collection,
          item: line.item,
          state: failed ? 'FAILED' : 'DELIVERED',
          files: outcomes.map((o) => o.file),
          reason: failed,
        });
      }
      await target.finish();
      return results;
    },
  };
}
