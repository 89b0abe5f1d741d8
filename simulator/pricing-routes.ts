/** Pricing: v1 (contract in the path) and the deprecated v0 (contract in the query or body), single and batch. */
import type { z } from 'zod';
import { PriceBatchRequest, PriceBatchRequestV0, type ItemPrice, type Price } from './legacy-wire';
import { itemKey, type CatalogItem } from './catalog';
import { callerOf, type RequestContext } from './context';
import { itemPrice, usableContract } from './contracts';
import { ApiError, data, parseJsonBody, parseOrThrow, type Reply } from './http';
import type { SeedContract } from './seed-data';

type PriceWire = z.input<typeof Price>;
type ItemPriceWire = z.input<typeof ItemPrice>;

export function priceV1(ctx: RequestContext): Reply {
  const caller = callerOf(ctx);
  const contract = usableContract(caller.organisation, contractIdParam(ctx.params[0], 'contract_id'));
  return data(priceOf(contract, lookupItem(ctx, requiredParam(ctx, 'collection'), requiredParam(ctx, 'item'))));
}

export function priceBatchV1(ctx: RequestContext): Reply {
  const caller = callerOf(ctx);
  const contract = usableContract(caller.organisation, contractIdParam(ctx.params[0], 'contract_id'));
  const request = parseOrThrow(PriceBatchRequest, parseJsonBody(ctx.body));
  return data(batchPrices(ctx, contract, request.items));
}

export function priceV0(ctx: RequestContext): Reply {
  const caller = callerOf(ctx);
  const contract = usableContract(
    caller.organisation,
    contractIdParam(requiredParam(ctx, 'contract_id'), 'contract_id'),
  );
  return data(priceOf(contract, lookupItem(ctx, requiredParam(ctx, 'collection'), requiredParam(ctx, 'item'))));
}

export function priceBatchV0(ctx: RequestContext): Reply {
  const caller = callerOf(ctx);
  const request = parseOrThrow(PriceBatchRequestV0, parseJsonBody(ctx.body));
  const contract = usableContract(caller.organisation, request.contract_id);
  return data(batchPrices(ctx, contract, request.items));
}

function batchPrices(
  ctx: RequestContext,
  contract: SeedContract,
  refs: { collection: string; item: string }[],
): ItemPriceWire[] {
  return refs.map((ref) => ({
    collection: ref.collection,
    item: ref.item,
    ...priceOf(contract, lookupItem(ctx, ref.collection, ref.item)),
  }));
}

function priceOf(contract: SeedContract, item: CatalogItem): PriceWire {
  const price = itemPrice(contract, item);
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
