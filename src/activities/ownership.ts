/**
 * What the organisation owns or is buying among some items: the claim registries know what purchases of this
 * product own or are buying; the order list, what was bought any other way. Shared by batch and coverage planning.
 * The purchases' own claims decide at buying time; this only spares them the asking.
 */
import { Context } from '@temporalio/activity';
import { isGrpcServiceError } from '@temporalio/client';
import type { DataCosmosClient } from '../datacosmos';
import type { Geometry } from '../datacosmos/api-schemas';
import { FAILURE } from '../shared/failure-types';
import { itemKey } from '../shared/item-key';
import type { PurchaseInput } from '../shared/purchase-types';
import { lookUpClaims } from './claims';
import { apiStep, cancellation, isFinalApiFailure } from './failures';
import { keptAnswers, type KeptAnswers } from './kept-answers';
import { createSemaphore } from './semaphore';
import { startArgument } from '../page-store/page-store';

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
  scope: {
    claimScope: string;
    organisationId: number;
    listedSince?: number;
    /** Read the part bought of each item owned only by its claim (coverage counts only that part). */
    readParts?: boolean;
  },
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
  const unlisted: Array<{ key: string; holder: string }> = [];
  for (const claim of claims) {
    if (claim.state === 'OWNED' && claim.orderId) {
      ownership.owned.set(claim.item, claim.orderId);
      if (!paid.items?.has(claim.item)) unlisted.push({ key: claim.item, holder: claim.holder });
    } else ownership.inFlight.set(claim.item, claim.holder);
  }
  if (scope.readParts) await readBoughtParts(ownership, unlisted);
  return ownership;
}

/** Purchases whose start is read at once: a plan over many owned items reads many. */
const HOLDER_READS = 8;
/** grpc.status.NOT_FOUND: the purchase is past the namespace's retention. */
const GRPC_NOT_FOUND = 5;

/**
 * The parts bought of items known owned only by their claims (the order list not served, as in the documented API,
 * or not showing them yet), from the input of the purchase that bought each: an order's own reply may leave its
 * line items' geometry out. Without it an item bought as a sub-area counted as its whole footprint, and a coverage
 * batch took the rest of the scene for covered and bought nothing there. A purchase past the namespace's retention
 * cannot be read: its item counts as a whole scene, as before.
 */
export async function readBoughtParts(
  ownership: Ownership,
  unlisted: Array<{ key: string; holder: string }>,
): Promise<void> {
  const { client } = Context.current();
  const reads = createSemaphore(HOLDER_READS);
  const inputOf = (holder: string): Promise<PurchaseInput | undefined> =>
    reads.run(() =>
      startArgument<PurchaseInput>(client, holder).catch((err: unknown) => {
        if (isGrpcServiceError(err) && err.code === GRPC_NOT_FOUND) return undefined;
        throw err;
      }),
    );
  const wanted = new Set(unlisted.map((u) => u.key));
  const inputs = await Promise.all([...new Set(unlisted.map((u) => u.holder))].map(inputOf));
  for (const item of inputs.flatMap((input) => input?.items ?? [])) {
    const key = itemKey(item);
    if (item.geometry && wanted.has(key)) ownership.ownedParts.set(key, item.geometry as Geometry);
  }
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
