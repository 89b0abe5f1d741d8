/**
 * Batch planning activities: read one chunk of the batch's input (a search page or a slice of the item
 * list), price it (inline catalog prices, the rest through the client), and say which items this organisation
 * already owns or is buying.
 * Only decisions-free facts come back; the batch workflow decides.
 */
import { Context } from '@temporalio/activity';
import type { DataCosmosClient, StacItem } from '../datacosmos';
import type { ExaminedItem, PlanChunkInput, PlanChunkResult } from '../shared/batch-types';
import { FAILURE } from '../shared/failure-types';
import { itemKey } from '../shared/item-key';
import type { LineItemInput } from '../shared/purchase-types';
import { createDeliveryActivities } from './delivery';
import { lookUpClaims } from '../workflow-client/claims';
import { apiStep, cancellation, isFinalApiFailure } from './failures';
import { inlinePrice, levelMismatch, lookUpCatalogItems, priceRest, type ItemPriceFact } from './pricing';

export interface BatchActivityDependencies {
  client: DataCosmosClient;
  organisationId: number;
  /** Downloads at once in this worker, across all purchases (default 4). */
  maxParallelDownloads?: number;
}

export function createBatchActivities(deps: BatchActivityDependencies) {
  const { client, organisationId } = deps;
  return {
    async planChunk(input: PlanChunkInput): Promise<PlanChunkResult> {
      const { stacItems, asked, nextCursor } = input.search
        ? await searchPage(client, input.contractId, input.search)
        : await lookUpItems(client, input.contractId, input.items ?? []);
      const inline = new Map<string, ItemPriceFact>();
      for (const [key, stacItem] of stacItems) {
        const price = inlinePrice(stacItem);
        if (price) inline.set(key, price);
      }
      const known = [...stacItems.values()].map((s) => ({ collection: s.collection, item: s.id }));
      const prices = await priceRest(client, input.contractId, known, inline);
      const keys = asked.map(itemKey);
      const owned = await ownedIn(client, organisationId, new Set(keys));
      // The claim registries know what purchases of this product own or are buying; the order list, what was
      // bought any other way. The purchases' own claims decide at buying time; this only spares them the asking.
      const claims = await lookUpClaims(
        Context.current().client,
        { taskQueue: input.claimScope, organisationId },
        keys,
      );
      const inFlight = new Map<string, string>();
      for (const claim of claims) {
        if (claim.state === 'OWNED' && claim.orderId) owned.orders.set(claim.item, claim.orderId);
        else inFlight.set(claim.item, claim.holder);
      }
      const examined = asked.map((line): ExaminedItem => {
        const key = itemKey(line);
        const stacItem = stacItems.get(key);
        const price = prices.get(key)?.price ?? null;
        const known = stacItem?.properties['processing:level'];
        const level = line.level ?? known ?? null;
        return {
          collection: line.collection,
          item: line.item,
          level,
          price,
          problem: !stacItem
            ? `unknown item ${key}`
            : (levelMismatch(key, line.level, known) ??
              (price === null
                ? `no price returned for ${key}`
                : level === null
                  ? `the catalog gives no processing level for ${key}`
                  : null)),
          ownedIn: owned.orders.get(key) ?? null,
          inFlightIn: inFlight.get(key) ?? null,
        };
      });
      return { examined, nextCursor, ...(owned.unknown ? { ownershipUnknown: owned.unknown } : {}) };
    },
    ...createDeliveryActivities(deps),
  };
}

async function searchPage(
  client: DataCosmosClient,
  contractId: number,
  search: NonNullable<PlanChunkInput['search']>,
): Promise<{ stacItems: Map<string, StacItem>; asked: LineItemInput[]; nextCursor: string | null }> {
  const { cursor, limit, maxItems: _maxItems, ...request } = search;
  const page = await apiStep(() =>
    client.search(
      {
        ...request,
        limit,
        contract_id: contractId,
        ...(cursor ? { cursor } : {}),
      } as Parameters<DataCosmosClient['search']>[0],
      cancellation(),
    ),
  );
  const asked = page.items.map((s) => ({ collection: s.collection, item: s.id }));
  const stacItems = new Map(page.items.map((s) => [itemKey({ collection: s.collection, item: s.id }), s]));
  return { stacItems, asked, nextCursor: page.nextCursor };
}

/** Item lists: one catalog search by ids tells which items exist, their processing level and inline prices. */
async function lookUpItems(
  client: DataCosmosClient,
  contractId: number,
  items: LineItemInput[],
): Promise<{ stacItems: Map<string, StacItem>; asked: LineItemInput[]; nextCursor: null }> {
  return { stacItems: await lookUpCatalogItems(client, contractId, items), asked: items, nextCursor: null };
}

/**
 * Which of these items the organisation already holds in a PAID order (the order's own status decides, not the
 * list's filter), with that order's id. When the order list is not served, `unknown` says so and nothing is owned.
 */
async function ownedIn(
  client: DataCosmosClient,
  organisationId: number,
  keys: Set<string>,
): Promise<{ orders: Map<string, string>; unknown: string | null }> {
  const owned = new Map<string, string>();
  try {
    await apiStep(async () => {
      for await (const page of client.listAllOrders({ organisationId, status: 'PAID' }, { signal: cancellation() })) {
        for (const order of page.orders) {
          if (order.status !== 'PAID') continue;
          for (const line of order.order_line_items ?? []) {
            if (!line.collection || !line.item) continue;
            const key = itemKey({ collection: line.collection, item: line.item });
            if (keys.has(key) && !owned.has(key)) owned.set(key, order.id);
          }
        }
      }
    });
  } catch (err) {
    if (!isFinalApiFailure(err) || err.type !== FAILURE.unsupported) throw err;
    return { orders: owned, unknown: `orders paid outside this product cannot be seen: ${err.message}` };
  }
  return { orders: owned, unknown: null };
}
