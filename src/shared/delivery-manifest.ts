/**
 * The manifest of one order in a bucket (PREFIX/ORDER_ID/manifest.json): every object delivered for it, with its
 * size and sha256. A later delivery to the same place merges into it, an object's newest entry replacing the old.
 */

export const MANIFEST_VERSION = 1;

export interface ManifestObject {
  /** The object's key in the bucket. */
  key: string;
  collection: string;
  item: string;
  /** The asset's file name. */
  asset: string;
  size: number;
  /** Hex sha256 of the object's bytes, computed while they were streamed to the bucket. */
  sha256: string;
}

export interface Manifest {
  version: typeof MANIFEST_VERSION;
  orderId: string;
  bucket: string;
  /** When this manifest was last written (ISO 8601). */
  updatedAt: string;
  objects: ManifestObject[];
}

/** The manifest of an order: what it listed before (if anything), with these objects added or replaced; sorted by key. */
export function buildManifest(
  where: { orderId: string; bucket: string },
  objects: ManifestObject[],
  previous: Manifest | null,
  now: Date,
): Manifest {
  const byKey = new Map((previous?.objects ?? []).map((o) => [o.key, o]));
  for (const object of objects) byKey.set(object.key, object);
  return {
    version: MANIFEST_VERSION,
    orderId: where.orderId,
    bucket: where.bucket,
    updatedAt: now.toISOString(),
    objects: [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
  };
}

/** A manifest read back from the bucket, or null when it is not one this code wrote (then it is written anew). */
export function readManifest(text: string): Manifest | null {
  try {
    const value = JSON.parse(text) as Partial<Manifest>;
    return value.version === MANIFEST_VERSION && Array.isArray(value.objects) ? (value as Manifest) : null;
  } catch {
    return null;
  }
}
