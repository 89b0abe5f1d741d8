/** Where an item's assets go: a directory on the worker's machine or a bucket, behind one interface. */
import path from 'node:path';
import type { DataCosmosClient } from '../datacosmos';
import type { DeliveryLine } from '../shared/delivery-types';
import { downloadVerified } from './download-file';
import type { ExpectedContent } from './file-check';

/** One asset of an item: its storage href, file name and what its bytes must be. */
export interface AssetFile extends ExpectedContent {
  href: string;
  name: string;
}

export interface DeliveryTarget {
  /** Delivers one asset; `file` names where it went, `problem` why it is not there (null: delivered, verified). */
  deliver(line: DeliveryLine, asset: AssetFile): Promise<{ file: string; problem: string | null }>;
  /** After every item: what the target writes once (a bucket's manifests). */
  finish(): Promise<void>;
}

/** DIR/COLLECTION/ITEM/FILE, each file downloaded, verified and renamed into place (download-file.ts). */
export function dirTarget(
  dir: string,
  ctx: { client: DataCosmosClient; attempts: number; signal: AbortSignal; progress: (bytes: number) => void },
): DeliveryTarget {
  return {
    async deliver(line, asset) {
      const target = path.join(dir, line.collection, line.item, asset.name);
      const problem = await downloadVerified(ctx.client, { ...asset, target }, ctx);
      return { file: target, problem };
    },
    async finish() {},
  };
}
