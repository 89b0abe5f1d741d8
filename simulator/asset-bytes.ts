/**
 * Deterministic asset bytes: generated on demand from the catalog seed and the asset's path, so
 * the storage endpoint and the STAC `file:checksum` always agree without storing anything.
 */
import { createCipheriv, createHash } from 'node:crypto';
import type { AssetSpec, CatalogItem } from './catalog';

const TIFF_MAGIC = Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00]);
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function assetBytes(seed: number, item: CatalogItem, asset: AssetSpec): Buffer {
  if (asset.key === 'metadata') return metadataBytes(item);
  // AES-CTR over zeros is a fast, native, keyed byte stream: the key is derived from the asset's path.
  const key = createHash('sha256')
    .update(`${seed}/${item.collection.id}/${item.id}/${asset.file}`)
    .digest()
    .subarray(0, 16);
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
  const bytes = Buffer.concat([cipher.update(Buffer.alloc(asset.size ?? 0)), cipher.final()]);
  (asset.key === 'visual' ? TIFF_MAGIC : PNG_MAGIC).copy(bytes, 0);
  return bytes;
}

function metadataBytes(item: CatalogItem): Buffer {
  const metadata = {
    product_id: item.id,
    collection: item.collection.id,
    platform: item.collection.platform,
    processing_level: item.collection.level,
    acquisition_datetime: item.datetime,
    footprint: item.ring,
    cloud_cover: item.cloudCover,
    gsd_m: item.gsd,
    data_area_km2: item.areaKm2,
  };
  return Buffer.from(JSON.stringify(metadata, null, 2));
}

export interface AssetFacts {
  size: number;
  /** Multihash: 0x12 (sha2-256), 0x20 (32 bytes), then the digest, all hex. */
  checksum: string;
}

/** Sizes and checksums, computed on first use and remembered (hashing every asset at start would be slow). */
export class AssetFactsCache {
  private readonly facts = new Map<string, AssetFacts>();

  constructor(private readonly seed: number) {}

  get(item: CatalogItem, asset: AssetSpec): AssetFacts {
    const key = `${item.collection.id}/${item.id}/${asset.file}`;
    let found = this.facts.get(key);
    if (!found) {
      const bytes = assetBytes(this.seed, item, asset);
      found = { size: bytes.length, checksum: `1220${createHash('sha256').update(bytes).digest('hex')}` };
      this.facts.set(key, found);
    }
    return found;
  }
}
