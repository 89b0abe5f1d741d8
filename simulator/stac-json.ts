/** STAC 1.0 JSON for the generated collections and items, with links under the public base URL. */
import type { z } from 'zod';
import type { StacCollection, StacItem } from './legacy-wire';
import { paths } from './legacy-paths';
import type { AssetFactsCache } from './asset-bytes';
import type { Catalog, CatalogItem, CollectionSpec } from './catalog';

export const OPENCOSMOS_EXTENSION = 'https://opencosmos.github.io/stac-extensions/opencosmos/v1.0.0/schema.json';
export const ITEM_EXTENSIONS = [
  'https://stac-extensions.github.io/eo/v1.1.0/schema.json',
  'https://stac-extensions.github.io/processing/v1.1.0/schema.json',
  'https://stac-extensions.github.io/file/v2.1.0/schema.json',
  OPENCOSMOS_EXTENSION,
];

export type StacItemWire = z.input<typeof StacItem>;
export type StacCollectionWire = z.input<typeof StacCollection>;

export interface ItemPriceTag {
  price: string;
  currency: string;
}

export function storageHref(publicUrl: string, item: CatalogItem, file: string): string {
  return `${publicUrl}${paths.storagePrefix}${encodeURIComponent(item.collection.id)}/${encodeURIComponent(item.id)}/${encodeURIComponent(file)}`;
}

export function itemJson(
  publicUrl: string,
  facts: AssetFactsCache,
  item: CatalogItem,
  price?: ItemPriceTag,
): StacItemWire {
  const assets: StacItemWire['assets'] = {};
  for (const asset of item.assets) {
    const { size, checksum } = facts.get(item, asset);
    assets[asset.key] = {
      href: storageHref(publicUrl, item, asset.file),
      type: asset.type,
      title: asset.title,
      roles: asset.roles,
      'file:size': size,
      'file:checksum': checksum,
    };
  }
  return {
    type: 'Feature',
    stac_version: '1.0.0',
    stac_extensions: ITEM_EXTENSIONS,
    id: item.id,
    collection: item.collection.id,
    geometry: { type: 'Polygon', coordinates: [item.ring] },
    bbox: item.bbox,
    properties: {
      datetime: item.datetime,
      platform: item.collection.platform,
      constellation: 'open-cosmos',
      'processing:level': item.collection.level,
      'eo:cloud_cover': item.cloudCover,
      gsd: item.gsd,
      'opencosmos:data_area_km2': item.areaKm2,
      'opencosmos:collection_type': 'nominal',
      ...(price ? { 'opencosmos:price': price.price, 'opencosmos:price_currency': price.currency } : {}),
    },
    links: [
      { rel: 'self', href: `${publicUrl}${paths.stacItem(item.collection.id, item.id)}`, type: 'application/geo+json' },
      { rel: 'collection', href: `${publicUrl}${paths.stacCollection(item.collection.id)}`, type: 'application/json' },
      { rel: 'parent', href: `${publicUrl}${paths.stacCollection(item.collection.id)}`, type: 'application/json' },
      { rel: 'root', href: `${publicUrl}${paths.stacCollections}`, type: 'application/json' },
    ],
    assets,
  };
}

export function collectionJson(publicUrl: string, catalog: Catalog, spec: CollectionSpec): StacCollectionWire {
  const [start, end] = catalog.temporalExtent.get(spec.id) ?? [null, null];
  const bbox = catalog.spatialExtent.get(spec.id) ?? [-180, -90, 180, 90];
  return {
    type: 'Collection',
    stac_version: '1.0.0',
    stac_extensions: [OPENCOSMOS_EXTENSION],
    id: spec.id,
    title: spec.title,
    description: spec.description,
    license: 'proprietary',
    keywords: ['open-cosmos', spec.platform, spec.level],
    providers: [
      { name: 'Open Cosmos', roles: ['producer', 'processor', 'licensor', 'host'], url: 'https://www.open-cosmos.com' },
    ],
    extent: { spatial: { bbox: [bbox] }, temporal: { interval: [[start, end]] } },
    summaries: { platform: [spec.platform], gsd: [spec.gsd], 'processing:level': [spec.level] },
    'opencosmos:resolution': 'full',
    links: [
      { rel: 'self', href: `${publicUrl}${paths.stacCollection(spec.id)}`, type: 'application/json' },
      { rel: 'root', href: `${publicUrl}${paths.stacCollections}`, type: 'application/json' },
      { rel: 'parent', href: `${publicUrl}${paths.stacCollections}`, type: 'application/json' },
    ],
  };
}
