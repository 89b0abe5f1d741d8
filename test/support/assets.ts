/** What the catalog says an item's files are, and how to check a downloaded file against it. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PurchaseEnv } from './purchase-env';

export interface AssetFacts {
  file: string;
  href: string;
  size: number;
  checksum: string;
}

export async function assetsOf(env: PurchaseEnv, item: { collection: string; item: string }): Promise<AssetFacts[]> {
  const reply = await fetch(`${env.sim.url}/api/data/v0/stac/collections/${item.collection}/items/${item.item}`, {
    headers: { authorization: `Bearer ${await env.token()}` },
  });
  const stac = (await reply.json()) as {
    assets: Record<string, { href: string; 'file:size': number; 'file:checksum': string }>;
  };
  return Object.values(stac.assets).map((a) => ({
    file: path.basename(new URL(a.href).pathname),
    href: a.href,
    size: a['file:size'],
    checksum: a['file:checksum'],
  }));
}

/** The file's sha256 as a multihash (`1220` + hex), the form of STAC `file:checksum`. */
export function multihash(file: string): string {
  return `1220${createHash('sha256').update(fs.readFileSync(file)).digest('hex')}`;
}
