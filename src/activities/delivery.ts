/**
 * Delivery: after an order is PAID, every asset of each item is downloaded with the bearer token into
 * DIR/COLLECTION/ITEM/FILE. Partial files resume with HTTP Range, each file is verified (multihash
 * sha256 `file:checksum`, else `file:size`) and renamed into place, files already verified are skipped,
 * and the activity heartbeats its bytes so a killed worker's download resumes on another worker.
 */
import { Context } from '@temporalio/activity';
import path from 'node:path';
import type { DataCosmosClient } from '../datacosmos';
import type { ItemDelivery } from '../shared/delivery-types';
import { itemKey } from '../shared/item-key';
import { downloadVerified, type FileSpec } from './download-file';
import { apiStep } from './failures';
import { createSemaphore } from './semaphore';

export interface DeliverItemsInput {
  dir: string;
  items: Array<{ collection: string; item: string }>;
}

/** A file whose checksum keeps failing is given up after this many downloads; its item fails. */
const CHECKSUM_ATTEMPTS = 3;

export function createDeliveryActivities(deps: { client: DataCosmosClient; maxParallelDownloads?: number }) {
  const { client } = deps;
  const downloads = createSemaphore(deps.maxParallelDownloads ?? 4);
  return {
    async deliverItems(input: DeliverItemsInput): Promise<ItemDelivery[]> {
      const ctx = Context.current();
      let bytesDone = 0;
      const progress = (bytes: number) => {
        bytesDone += bytes;
        ctx.heartbeat({ bytesDone });
      };
      ctx.heartbeat({ bytesDone });
      const results: ItemDelivery[] = [];
      for (const line of input.items) {
        const stacItem = await apiStep(() => client.getItem(line.collection, line.item, ctx.cancellationSignal));
        const files: FileSpec[] = Object.values(stacItem.assets).map((asset) => ({
          href: asset.href,
          target: path.join(
            input.dir,
            line.collection,
            line.item,
            path.basename(new URL(asset.href, 'http://x').pathname),
          ),
          size: asset['file:size'],
          checksum: asset['file:checksum'],
        }));
        const outcomes = await Promise.all(
          files.map((file) =>
            downloads.run(() =>
              downloadVerified(client, file, { attempts: CHECKSUM_ATTEMPTS, signal: ctx.cancellationSignal, progress }),
            ),
          ),
        );
        const failed = outcomes.find((o) => o !== null);
        if (failed) ctx.log.warn('delivery failed', { item: itemKey(line), reason: failed });
        results.push({
          ...line,
          state: failed ? 'FAILED' : 'DELIVERED',
          files: files.map((f) => f.target),
          reason: failed ?? null,
        });
      }
      return results;
    },
  };
}
