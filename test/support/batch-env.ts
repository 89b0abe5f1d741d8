/** Batch test helpers: start a batch on a purchase environment, and read the simulator's catalog in search order. */
import { randomUUID } from 'node:crypto';
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
