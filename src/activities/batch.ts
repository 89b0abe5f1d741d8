/**
 * Batch planning activities: read one chunk of the batch's input (a search page or a slice of the item
 * list), price it with batch pricing, and say which items this organisation already owns or is buying.
 * Only decisions-free facts come back; the batch workflow decides.
 */
import { Context } from '@temporalio/activity';
import type { DataCosmosClient, StacItem } from '../datacosmos';
import type { ExaminedItem, PlanChunkInput, PlanChunkResult } from '../shared/batch-types';
import { itemKey } from '../shared/batch-types';
import type { LineItemInput } from '../shared/purchase-types';
import { apiStep } from './failures';
import { createDeliveryActivities } from './delivery';

export interface BatchActivityDependencies {
  client: DataCosmosClient;
  organisationId: number;
  /** Downloads at once in this worker, across all purchases (default 4). */
  maxParallelDownloads?: number;
}

/** Visibility queries name at most this many items each. */
const IN_FLIGHT_QUERY_KEYS = 100;

export function createBatchActivities(deps: BatchActivityDependencies) {
  const { client, organisationId } = deps;
  return {
    async planChunk(input: PlanChunkInput): Promise<PlanChunkResult> {
      const { stacItems, asked, nextCursor } = input.search
        ? await searchPage(client, input.search)
        : await lookUpItems(client, input.items ?? []);
      const prices = await apiStep(() =>
        client.getPrices(
          input.contractId,
          stacItems.map((s) => ({ collection: s.collection, item: s.id })),
          cancellation(),
        ),
      );
      const priceOf = new Map(prices.map((p) => [itemKey(p), p.final]));
      const found = new Map(stacItems.map((s) => [`${s.collection}/${s.id}`, s]));
      const keys = asked.map(itemKey);
      const owned = await ownedIn(client, organisationId, new Set(keys));
      const inFlight = await inFlightIn(organisationId, keys);
      const examined = asked.map((line): ExaminedItem => {
        const key = itemKey(line);
        const stacItem = found.get(key);
        const price = priceOf.get(key) ?? null;
        return {
          collection: line.collection,
          item: line.item,
          level: line.level ?? stacItem?.properties['processing:level'] ?? null,
          price,
          problem: !stacItem ? `unknown item ${key}` : price === null ? `no price returned for ${key}` : null,
          ownedIn: owned.get(key) ?? null,
          inFlightIn: inFlight.get(key) ?? null,
        };
      });
      return { examined, nextCursor };
    },
    ...createDeliveryActivities(deps),
  };
}

function cancellation(): AbortSignal {
  return Context.current().cancellationSignal;
}

async function searchPage(
  client: DataCosmosClient,
  search: NonNullable<PlanChunkInput['search']>,
): Promise<{ stacItems: StacItem[]; asked: LineItemInput[]; nextCursor: string | null }> {
  const { cursor, limit, maxItems: _maxItems, ...request } = search;
  const page = await apiStep(() =>
    client.search(
      { ...request, limit, ...(cursor ? { cursor } : {}) } as Parameters<DataCosmosClient['search']>[0],
      cancellation(),
    ),
  );
  const asked = page.items.map((s) => ({ collection: s.collection, item: s.id }));
  return { stacItems: page.items, asked, nextCursor: page.nextCursor };
}

/** Item lists: one catalog search by ids tells which items exist and their processing level. */
async function lookUpItems(
  client: DataCosmosClient,
  items: LineItemInput[],
): Promise<{ stacItems: StacItem[]; asked: LineItemInput[]; nextCursor: null }> {
  const stacItems: StacItem[] = [];
  if (items.length > 0) {
    const request = {
      collections: [...new Set(items.map((line) => line.collection))],
      ids: [...new Set(items.map((line) => line.item))],
      limit: Math.min(items.length, 1000),
    };
    await apiStep(async () => {
      for await (const page of client.searchAll(request, { signal: cancellation() })) stacItems.push(...page);
    });
  }
  return { stacItems, asked: items, nextCursor: null };
}

/** Which of these items the organisation already holds in a PAID order, with that order's id. */
async function ownedIn(
  client: DataCosmosClient,
  organisationId: number,
  keys: Set<string>,
): Promise<Map<string, string>> {
  const owned = new Map<string, string>();
  await apiStep(async () => {
    for await (const order of client.listAllOrders({ organisationId, status: 'PAID' }, { signal: cancellation() })) {
      for (const line of order.order_line_items) {
        const key = itemKey(line);
        if (keys.has(key) && !owned.has(key)) owned.set(key, order.id);
      }
    }
  });
  return owned;
}

/**
 * Which of these items a running purchase of this organisation is buying (its `PurchaseItems` search
 * attribute), with its id. Other organisations' purchases share the namespace but not the images.
 */
async function inFlightIn(organisationId: number, keys: string[]): Promise<Map<string, string>> {
  const temporal = Context.current().client;
  const found = new Map<string, string>();
  const wanted = new Set(keys);
  for (let start = 0; start < keys.length; start += IN_FLIGHT_QUERY_KEYS) {
    const names = keys.slice(start, start + IN_FLIGHT_QUERY_KEYS).map((key) => JSON.stringify(key));
    const query =
      `WorkflowType = 'purchaseWorkflow' AND ExecutionStatus = 'Running' AND OrganisationId = '${organisationId}'` +
      ` AND PurchaseItems IN (${names.join(', ')})`;
    for await (const wf of temporal.workflow.list({ query })) {
      const items = (wf.searchAttributes as Record<string, unknown[] | undefined>).PurchaseItems ?? [];
      for (const key of items) if (typeof key === 'string' && wanted.has(key)) found.set(key, wf.workflowId);
    }
  }
  return found;
}
