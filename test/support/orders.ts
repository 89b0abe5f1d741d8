/** Helpers to find catalog items and place orders against the simulator in tests. */
import { call, type SeedClient } from '../../harness/simulator';

export interface CatalogRef {
  collection: string;
  item: string;
  level: string;
  price: string;
}

/** Items priced under `contract`, optionally only those with a price at most `maxArea` km². */
export async function findItems(
  url: string,
  token: string,
  contract: number,
  count: number,
  maxAreaKm2?: number,
): Promise<CatalogRef[]> {
  const query = maxAreaKm2 === undefined ? undefined : { 'opencosmos:data_area_km2': { lte: maxAreaKm2 } };
  const res = await call(url, 'POST', '/api/data/v0/stac/search', {
    token,
    body: { limit: count, contract_id: contract, query },
  });
  if (res.body.features.length < count) throw new Error(`catalog has fewer than ${count} matching items`);
  return res.body.features.map((f: any) => ({
    collection: f.collection,
    item: f.id,
    level: f.properties['processing:level'],
    price: f.properties['opencosmos:price'],
  }));
}

export function orderBody(
  organisation: number,
  contract: number,
  items: CatalogRef[],
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'IMAGE',
    data: { order_line_items: items.map(({ collection, item, level }) => ({ collection, item, level })) },
    organisation,
    contract_id: contract,
    ...extra,
  };
}

export async function createOrder(
  url: string,
  token: string,
  organisation: number,
  contract: number,
  items: CatalogRef[],
) {
  const res = await call(url, 'POST', '/api/data/v0/order/orders', {
    token,
    body: orderBody(organisation, contract, items),
  });
  if (res.status !== 201) throw new Error(`order create failed: ${res.status} ${res.text}`);
  return res.body.data;
}

/** An order, for the client's organisation under its default contract, of the first `count` catalog items. */
export async function orderCatalogItems(url: string, token: string, client: SeedClient, count: number) {
  return createOrder(
    url,
    token,
    client.organisation,
    client.contract,
    await findItems(url, token, client.contract, count),
  );
}

/**
 * A sub-area of an item: its footprint shrunk to half its size around the centre of its corners (footprints are
 * convex, so this lies inside), as a GeoJSON Polygon.
 */
export async function subAreaOf(
  url: string,
  token: string,
  ref: { collection: string; item: string },
): Promise<{ type: 'Polygon'; coordinates: number[][][] }> {
  const res = await call(url, 'GET', `/api/data/v0/stac/collections/${ref.collection}/items/${ref.item}`, { token });
  const ring: number[][] = res.body.geometry.coordinates[0];
  const corners = ring.slice(0, -1);
  const centre = [0, 1].map((k) => corners.reduce((sum, p) => sum + p[k], 0) / corners.length);
  const shrunk = corners.map((p) => p.map((v, k) => centre[k] + (v - centre[k]) / 2));
  return { type: 'Polygon', coordinates: [[...shrunk, shrunk[0]]] };
}

export function checkout(url: string, token: string, orderId: string) {
  return call(url, 'POST', `/api/data/v0/order/orders/${orderId}/checkout`, { token });
}
