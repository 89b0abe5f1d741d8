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

export async function ownershipOf(
  client: DataCosmosClient,
  scope: { claimScope: string; organisationId: number },
  keys: string[],
): Promise<Ownership> {
  const ownership = await paidOrdersHolding(client, scope.organisationId, new Set(keys));
  const claims = await lookUpClaims(
    Context.current().client,
    { taskQueue: scope.claimScope, organisationId: scope.organisationId },
    keys,
  );
  for (const claim of claims) {
    if (claim.state === 'OWNED' && claim.orderId) ownership.owned.set(claim.item, claim.orderId);
    else ownership.inFlight.set(claim.item, claim.holder);
  }
  return ownership;
}

/**
 * Which of these items the organisation already holds in a PAID order (the order's own status decides, not the
 * list's filter), with that order's id. When the order list is not served, `unknown` says so and nothing is owned.
 */
async function paidOrdersHolding(
  client: DataCosmosClient,
  organisationId: number,
  keys: Set<string>,
): Promise<Ownership> {
  const ownership: Ownership = { owned: new Map(), ownedParts: new Map(), inFlight: new Map(), unknown: null };
  try {
    await apiStep(async () => {
      for await (const page of client.listAllOrders({ organisationId, status: 'PAID' }, { signal: cancellation() })) {
        for (const order of page.orders) {
          if (order.status !== 'PAID') continue;
          for (const line of order.order_line_items ?? []) {
            if (!line.collection || !line.item) continue;
            const key = itemKey({ collection: line.collection, item: line.item });
            if (!keys.has(key) || ownership.owned.has(key)) continue;
            ownership.owned.set(key, order.id);
            if (line.geometry) ownership.ownedParts.set(key, line.geometry);
          }
        }
      }
    });
  } catch (err) {
    if (!isFinalApiFailure(err) || err.type !== FAILURE.unsupported) throw err;
    ownership.unknown = `orders paid outside this product cannot be seen: ${err.message}`;
  }
  return ownership;
}
