/**
 * Batch planning activities: read one chunk of the batch's input (a search page or a slice of the item
 * list), price it (inline catalog prices, the rest through the client), and say which items this organisation
 * already owns or is buying.
 * Only decisions-free facts come back; the batch workflow decides.
 */
import { repeatedCursor, type DataCosmosClient, type StacItem } from '../datacosmos';
import type { BatchSearch, ExaminedItem, PlanChunkInput, PlanChunkResult } from '../shared/batch-types';
import { itemKey } from '../shared/item-key';
import type { LineItemInput } from '../shared/purchase-types';
import { createDeliveryActivities } from './delivery';
import { apiStep, cancellation } from './failures';
import { ownershipOf, type PaidItemsMemory } from './ownership';
import { inlinePrice, levelMismatch, lookUpCatalogItems, priceRest, type ItemPriceFact } from './pricing';
import { storedItems, storedText } from './stored-input';

export interface BatchActivityDependencies {
  client: DataCosmosClient;
  organisationId: number;
  /** Downloads at once in this worker, across all purchases (default 4). */
  maxParallelDownloads?: number;
  /** DELIVER_S3_ENDPOINT: the S3-compatible store of deliveries to a bucket that name none (unset: AWS S3). */
  s3Endpoint?: string;
  /** The organisation's PAID items this worker keeps, shared with coverage planning. */
  paidItems: PaidItemsMemory;
}

export function createBatchActivities(deps: BatchActivityDependencies) {
  const { client, organisationId } = deps;
  return {
    async planChunk(input: PlanChunkInput): Promise<PlanChunkResult> {
      const stored = input.storedItems;
      const { stacItems, asked, nextCursor } = input.search
        ? await searchPage(client, input.contractId, await withStoredFields(input.search))
        : await lookUpItems(
            client,
            input.contractId,
            stored ? await storedItems(stored.list, stored.from, stored.count) : (input.items ?? []),
          );
      const inline = new Map<string, ItemPriceFact>();
      for (const [key, stacItem] of stacItems) {
        const price = inlinePrice(stacItem);
        if (price) inline.set(key, price);
      }
      const known = [...stacItems.values()].map((s) => ({ collection: s.collection, item: s.id }));
      const prices = await priceRest(client, input.contractId, known, inline, cancellation());
      const { owned, inFlight, unknown } = await ownershipOf(
        client,
        deps.paidItems,
        {
          claimScope: input.claimScope,
          organisationId,
          ...(input.batchStartedAt ? { listedSince: Date.parse(input.batchStartedAt) } : {}),
        },
        asked.map(itemKey),
      );
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
          ownedIn: owned.get(key) ?? null,
          inFlightIn: inFlight.get(key) ?? null,
        };
      });
      return { examined, nextCursor, ...(unknown ? { ownershipUnknown: unknown } : {}) };
    },
    ...createDeliveryActivities(deps),
  };
}

/** A search whose bulk was stored: its stored fields, under the ones it carries (cursor, limit, datetime). */
async function withStoredFields<S extends BatchSearch>(search: S): Promise<S> {
  const { stored, ...inline } = search;
  return stored ? ({ ...(JSON.parse(await storedText(stored)) as BatchSearch), ...inline } as S) : search;
}

async function searchPage(
  client: DataCosmosClient,
  contractId: number,
  search: NonNullable<PlanChunkInput['search']>,
): Promise<{ stacItems: Map<string, StacItem>; asked: LineItemInput[]; nextCursor: string | null }> {
  const { cursor, limit, maxItems: _maxItems, ...request } = search;
  const page = await apiStep(async () => {
    const read = await client.search(
      {
        ...request,
        limit,
        contract_id: contractId,
        ...(cursor ? { cursor } : {}),
      } as Parameters<DataCosmosClient['search']>[0],
      cancellation(),
    );
    // The batch follows the cursor a chunk at a time: one that comes back as the next would read this page for ever.
    if (cursor && read.nextCursor === cursor) throw repeatedCursor('stac_search', 'POST');
    return read;
  });
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
  return {
    stacItems: await lookUpCatalogItems(client, contractId, items, cancellation()),
    asked: items,
    nextCursor: null,
  };
}
