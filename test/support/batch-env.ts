/**
 * Batch test helpers: start a batch on a purchase environment, read the simulator's catalog in search order, and
 * areas of interest in the simulator's coverage region with the checks of what coverage batches bought.
 */
import { randomUUID } from 'node:crypto';
import { COVERAGE_REGION } from '../../simulator/catalog';
import { aoiFromGeoJson, type Aoi } from '../../src/coverage/aoi';
import { areaKm2, intersection, toParts, union } from '../../src/coverage/geometry';
import type { CoveragePickRecord } from '../../src/shared/coverage-types';
import { startBatch, type BatchHandle } from '../../src/workflow-client/batch-client';
import type { BatchInput } from '../../src/shared/batch-types';
import { FAST, type PurchaseEnv } from './purchase-env';

export function runBatch(
  env: PurchaseEnv,
  input: Partial<BatchInput> & Pick<BatchInput, 'budget'>,
): Promise<BatchHandle> {
  const full: BatchInput = { batchId: `b-${randomUUID()}`, ...FAST, ...input };
  return startBatch(env.client, { taskQueue: env.taskQueue, organisationId: env.account.organisation }, full).then(
    (started) => started.handle,
  );
}

/** The first `count` items of a catalog search, in search order, with their prices under the contract. */
export async function searchWithPrices(
  env: PurchaseEnv,
  request: Record<string, unknown>,
  count: number,
): Promise<Array<{ collection: string; item: string; price: string }>> {
  const response = await fetch(`${env.sim.url}/api/data/v0/stac/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await env.token()}` },
    body: JSON.stringify({ ...request, limit: count, contract_id: env.account.contract }),
  });
  const page = (await response.json()) as {
    features: Array<{ id: string; collection: string; properties: Record<string, string> }>;
  };
  return page.features.map((f) => ({ collection: f.collection, item: f.id, price: f.properties['opencosmos:price'] }));
}

/** A round area of interest (a 48-gon) of `radiusKm` around a point `eastKm`/`northKm` off the region's centre. */
export function regionAoi(radiusKm: number, eastKm = 0, northKm = 0): Aoi {
  const [lon, lat] = COVERAGE_REGION.centre;
  const kmPerLon = 111.32 * Math.cos((lat * Math.PI) / 180);
  const ring = Array.from({ length: 48 }, (_, i) => {
    const angle = (2 * Math.PI * i) / 48;
    return [
      lon + (eastKm + radiusKm * Math.cos(angle)) / kmPerLon,
      lat + (northKm + radiusKm * Math.sin(angle)) / 111.32,
    ];
  });
  return aoiFromGeoJson({ type: 'Polygon', coordinates: [[...ring, ring[0]]] }, 'test-aoi');
}

/** The share (%) of the area that these picks cover: their sub-areas, or whole footprints. */
export function coveredPct(aoi: Aoi, picks: CoveragePickRecord[]): number {
  const shapes = picks.map((p) => toParts(p.geometry ?? p.footprint));
  return (100 * areaKm2(intersection(aoi.geometry.coordinates, union(...shapes)))) / aoi.areaKm2;
}
