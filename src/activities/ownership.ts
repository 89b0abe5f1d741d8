/**
 * What the organisation owns or is buying among some items: the claim registries know what purchases of this
 * product own or are buying; the order list, what was bought any other way. Shared by batch and coverage planning.
 * The purchases' own claims decide at buying time; this only spares them the asking.
 */
import { Context } from '@temporalio/activity';
import type { DataCosmosClient } from '../datacosmos';
import type { Geometry } from '../datacosmos/api-schemas';
import { FAILURE } from '../shared/failure-types';
import { itemKey } from '../shared/item-key';
import { lookUpClaims } from './claims';
import { apiStep, cancellation, isFinalApiFailure } from './failures';
import { keptAnswers, type KeptAnswers } from './kept-answers';

export interface Ownership {
  /** Item key -> the PAID order that holds it. */
  owned: Map<string, string>;
  /** Item key -> the sub-area the PAID order bought, when it bought one and shows it. */
  ownedParts: Map<string, Geometry>;
  /** Item key -> the purchase that is buying it. */
  inFlight: Map<string, string>;
  /** Set when the organisation's PAID orders could not be listed: why ownership outside this product is unknown. */
  unknown: string | null;
}

/** How long a worker keeps an organisation's PAID items, from the listing's start. */
export const PAID_ITEMS_KEPT_MS = 60_000;
/** Beyond this many items a listing is not kept (worker memory): each look-up lists again, keeping what it asks. */
export const PAID_ITEMS_KEPT_MAX = 100_000;

interface PaidItem {
  orderId: string;
  geometry?: Geometry;
}

/** Items in the organisation's PAID orders (null: more than are kept); `unknown` when the list is not served. */
interface PaidItems {
  items: Map<string, PaidItem> | null;
  unknown: string | null;
}

/**
 * The organisation's PAID items a worker keeps. Listed for every chunk, a 10,000-item batch at 100 ms a page spent
 * its time paging through the same orders again, more of them with every order it made.
 */
export type PaidItemsMemory = KeptAnswers<number, PaidItems>;

export const paidItemsMemory = (now?: () => number): PaidItemsMemory => keptAnswers(PAID_ITEMS_KEPT_MS, now);

/**
 * `listedSince` (ms since the epoch): the oldest listing of the PAID orders the caller accepts (a batch's start: what
 * was paid before it began is seen); unset, the orders are listed now.
 */
export async function ownershipOf(
  client: DataCosmosClient,
  memory: PaidItemsMemory,
  scope: { claimScope: string; organisationId: number; listedSince?: number },
  keys: string[],
): Promise<Ownership> {
  const { organisationId } = scope;
  const listing = () => paidItems(client, organisationId, null);
  const kept = await memory.get(organisationId, listing, scope.listedSince ?? Date.now());
  const paid = kept.items ? kept : await paidItems(client, organisationId, new Set(keys));
  const ownership: Ownership = { owned: new Map(), ownedParts: new Map(), inFlight: new Map(), unknown: paid.unknown };
  for (const key of keys) {
    const item = paid.items?.get(key);
    if (!item) continue;
    ownership.owned.set(key, item.orderId);
    if (item.geometry) ownership.ownedParts.set(key, item.geometry);
  }
  const claims = await lookUpClaims(Context.current().client, { taskQueue: scope.claimScope, organisationId }, keys);
  for (const claim of claims) {
    if (claim.state === 'OWNED' && claim.orderId) ownership.owned.set(claim.item, claim.orderId);
    else ownership.inFlight.set(claim.item, claim.holder);
  }
  return ownership;
}

/**
 * The items `wanted` (all, when null: then null items past PAID_ITEMS_KEPT_MAX) the organisation holds in a PAID order
 * (the order's own status decides, not the list's filter), with that order's id. When the order list is not served,
 * `unknown` says so and nothing is owned.
 */
async function paidItems(
  client: DataCosmosClient,
  organisationId: number,
  wanted: Set<string> | null,
): Promise<PaidItems> {
  const items = new Map<string, PaidItem>();
  try {
    return await apiStep(async () => {
      for await (const page of client.listAllOrders({ organisationId, status: 'PAID' }, { signal: cancellation() })) {
        for (const order of page.orders) {
          if (order.status !== 'PAID') continue;
          for (const line of order.order_line_items ?? []) {
            if (!line.collection || !line.item) continue;
            const key = itemKey({ collection: line.collection, item: line.item });
            if ((wanted && !wanted.has(key)) || items.has(key)) continue;
            items.set(key, { orderId: order.id, ...(line.geometry ? { geometry: line.geometry } : {}) });
          }
        }
        if (!wanted && items.size > PAID_ITEMS_KEPT_MAX) return { items: null, unknown: null };
      }
      return { items, unknown: null };
    });
  } catch (err) {
    if (!isFinalApiFailure(err) || err.type !== FAILURE.unsupported) throw err;
    return { items: new Map(), unknown: `orders paid outside this product cannot be seen: ${err.message}` };
  }
}
