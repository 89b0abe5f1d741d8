/** STAC 1.0 JSON for the generated collections and items, with links under the public base URL. */
import type { AssetFactsCache } from './asset-bytes';
import type { Catalog, CatalogItem, CollectionSpec } from './catalog';
import { PATHS, pathOf } from './paths';

export const OPENCOSMOS_EXTENSION = 'https://opencosmos.github.io/stac-extensions/opencosmos/v1.0.0/schema.json';
export const ITEM_EXTENSIONS = [
  'https://stac-extensions.github.io/eo/v1.1.0/schema.json',
  'https://stac-extensions.github.io/processing/v1.1.0/schema.json',
  'https://stac-extensions.github.io/file/v2.1.0/schema.json',
  OPENCOSMOS_EXTENSION,
];

export interface ItemPriceTag {
  price: string;
  currency: string;
}

export function storageHref(publicUrl: string, item: CatalogItem, file: string): string {
  return `${publicUrl}${pathOf(PATHS.storage, item.collection.id, item.id, file)}`;
}

export function itemJson(publicUrl: string, facts: AssetFactsCache, item: CatalogItem, price?: ItemPriceTag) {
  const assets: Record<string, Record<string, unknown>> = {};
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
      {
        rel: 'self',
        href: `${publicUrl}${pathOf(PATHS.stacItem, item.collection.id, item.id)}`,
        type: 'application/geo+json',
      },
      {
        rel: 'collection',
        href: `${publicUrl}${pathOf(PATHS.stacCollection, item.collection.id)}`,
        type: 'application/json',
      },
      {
        rel: 'parent',
        href: `${publicUrl}${pathOf(PATHS.stacCollection, item.collection.id)}`,
        type: 'application/json',
      },
      { rel: 'root', href: `${publicUrl}${PATHS.stacCollections}`, type: 'application/json' },
    ],
    assets,
  };
}

export function collectionJson(publicUrl: string, catalog: Catalog, spec: CollectionSpec) {
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
      { rel: 'self', href: `${publicUrl}${pathOf(PATHS.stacCollection, spec.id)}`, type: 'application/json' },
      { rel: 'root', href: `${publicUrl}${PATHS.stacCollections}`, type: 'application/json' },
      { rel: 'parent', href: `${publicUrl}${PATHS.stacCollections}`, type: 'application/json' },
    ],
  };
}
