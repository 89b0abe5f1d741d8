/**
 * Pricing: v1 (contract in the path) and the deprecated v0 (contract in the query or body), single
 * and batch (the v1 batch exists in the full variant only). A single price answers `errors: null`
 * in the documented variant, as the published example does. The v0 single price takes an optional
 * `geometry` (a JSON-encoded GeoJSON Polygon inside the item's footprint) and prices that sub-area.
 */
import { z } from 'zod';
import { itemKey, type CatalogItem } from './catalog';
import { apiVariant, callerOf, type RequestContext } from './context';
import { itemPrice, usableContract } from './contracts';
import { ApiError, data, parseJsonBody, parseOrThrow, type Reply } from './http';
import { jsonParam } from './search';
import type { SeedContract } from './seed-data';
import { subAreaPrice } from './sub-area';

const ItemRefs = z
  .array(z.object({ collection: z.string().min(1), item: z.string().min(1) }))
  .min(1)
  .max(500);
const BatchV1 = z.object({ items: ItemRefs });
/** v0 names the contract in the body. */
const BatchV0 = z.object({ contract_id: z.number().int(), items: ItemRefs });

interface PriceJson {
  value: string;
  final: string;
  currency: string;
}

export function priceV1(ctx: RequestContext): Reply {
  const caller = callerOf(ctx);
  return singlePrice(
    ctx,
    usableContract(caller.organisation, contractIdParam(ctx.params[0], 'contract_id'), rateFactorOf(ctx)),
  );
}

export function priceBatchV1(ctx: RequestContext): Reply {
  const caller = callerOf(ctx);
  const contract = usableContract(
    caller.organisation,
    contractIdParam(ctx.params[0], 'contract_id'),
    rateFactorOf(ctx),
  );
  const request = parseOrThrow(BatchV1, parseJsonBody(ctx.body));
  return data(batchPrices(ctx, contract, request.items));
}

export function priceV0(ctx: RequestContext): Reply {
  const caller = callerOf(ctx);
  const contractId = contractIdParam(requiredParam(ctx, 'contract_id'), 'contract_id');
  return singlePrice(
    ctx,
    usableContract(caller.organisation, contractId, rateFactorOf(ctx)),
    ctx.url.searchParams.get('geometry'),
  );
}

export function priceBatchV0(ctx: RequestContext): Reply {
  const caller = callerOf(ctx);
  const request = parseOrThrow(BatchV0, parseJsonBody(ctx.body));
  const contract = usableContract(caller.organisation, request.contract_id, rateFactorOf(ctx));
  return data(batchPrices(ctx, contract, request.items));
}

/** One item's price, or with `geometry` (JSON text) the price of that sub-area of it. */
function singlePrice(ctx: RequestContext, contract: SeedContract, geometry: string | null = null): Reply {
  const item = lookupItem(ctx, requiredParam(ctx, 'collection'), requiredParam(ctx, 'item'));
  const price =
    geometry === null
      ? itemPrice(contract, item)
      : subAreaPrice(contract, item, jsonParam('geometry', geometry), 'geometry');
  return data(priceJson(contract, price), 200, apiVariant(ctx) === 'documented' ? { errors: null } : {});
}

function batchPrices(
  ctx: RequestContext,
  contract: SeedContract,
  refs: { collection: string; item: string }[],
): ({ collection: string; item: string } & PriceJson)[] {
  return refs.map((ref) => ({
    collection: ref.collection,
    item: ref.item,
    ...priceJson(contract, itemPrice(contract, lookupItem(ctx, ref.collection, ref.item))),
  }));
}

function priceJson(contract: SeedContract, price: string): PriceJson {
  return { value: price, final: price, currency: contract.currency };
}

export function lookupItem(ctx: RequestContext, collection: string, item: string): CatalogItem {
  const found = ctx.sim.catalog.byKey.get(itemKey(collection, item));
  if (!found) throw new ApiError(404, `item ${item} not found in collection ${collection}`, 'item');
  return found;
}

function requiredParam(ctx: RequestContext, name: string): string {
  const value = ctx.url.searchParams.get(name);
  if (!value) throw new ApiError(400, `query parameter ${name} is required`, name);
  return value;
}

function contractIdParam(text: string, field: string): number {
  if (!/^\d+$/.test(text)) throw new ApiError(400, `${field} must be an integer, got "${text}"`, field);
  return Number(text);
}

function rateFactorOf(ctx: RequestContext): string {
  return ctx.sim.state.settings.rateFactor;
}
