/**
 * The file name of each asset of an item: the last segment of its href, unless two assets of the item share it (a
 * band each, say `.../B01/data.tif` and `.../B02/data.tif`), when each of those is prefixed with its asset key, so
 * that neither overwrites the other under one name. The same item always gets the same names.
 */
import path from 'node:path';

export function assetFileNames(assets: Record<string, { href: string }>): Map<string, string> {
  const base = new Map(
    Object.entries(assets).map(([key, asset]) => [key, path.basename(new URL(asset.href, 'http://x').pathname)]),
  );
  const uses = new Map<string, number>();
  for (const name of base.values()) uses.set(name, (uses.get(name) ?? 0) + 1);
  return new Map(
    [...base].map(([key, name]) => [key, (uses.get(name) ?? 0) > 1 ? `${key.replace(/[^\w.-]/g, '_')}-${name}` : name]),
  );
}
