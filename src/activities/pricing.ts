/**
 * Prices for the purchase and batch activities. A catalog search with the contract gives each item's processing
 * level and, when the API prices inline, its price; items still without a price are priced through the client
 * (the v1 batch price or the documented v0 price, as the client decides). A line item with a geometry buys a
 * sub-area: an inline price is the whole scene's, so those are always priced through the v0 per-item price.
 */
import type { DataCosmosClient, StacItem } from '../datacosmos';
import { itemKey } from '../shared/item-key';
import { add } from '../shared/money';
import type { LineItemInput, PricedLineItem, Quote } from '../shared/purchase-types';
import { apiStep, businessRule } from './failures';

export interface ItemPriceFact {
  price: string;
  currency: string;
}

/** The price under the contract that a catalog item carries inline (`opencosmos:price`), if any. */
export function inlinePrice(stacItem: StacItem): ItemPriceFact | null {
  const price = stacItem.properties['opencosmos:price'];
  const currency = stacItem.properties['opencosmos:price_currency'];
  return price !== undefined && currency !== undefined ? { price, currency } : null;
}

/** Prices of the items not priced yet, by item key; an item the API returns no price for is left out. */
export async function priceRest(
  client: DataCosmosClient,
  contractId: number,
  refs: Array<Pick<LineItemInput, 'collection' | 'item' | 'geometry'>>,
  known: Map<string, ItemPriceFact>,
  signal: AbortSignal,
): Promise<Map<string, ItemPriceFact>> {
  const missing = refs.filter((ref) => !known.has(itemKey(ref)));
  if (missing.length > 0) {
    const prices = await apiStep(() =>
      client.priceItems(
        contractId,
        missing.map(({ collection, item, geometry }) => ({ collection, item, ...(geometry ? { geometry } : {}) })),
        signal,
      ),
    );
    for (const p of prices) known.set(itemKey(p), { price: p.final, currency: p.currency });
  }
  return known;
}

/** The catalog items with these ids (one search with the contract, for levels and inline prices), by item key. */
export async function lookUpCatalogItems(
  client: DataCosmosClient,
  contractId: number | undefined,
  items: Array<{ collection: string; item: string }>,
  signal: AbortSignal,
): Promise<Map<string, StacItem>> {
  const found = new Map<string, StacItem>();
  if (items.length === 0) return found;
  const request = {
    collections: [...new Set(items.map((line) => line.collection))],
    ids: [...new Set(items.map((line) => line.item))],
    limit: Math.min(items.length, 1000),
    ...(contractId !== undefined ? { contract_id: contractId } : {}),
  };
  await apiStep(async () => {
    for await (const page of client.searchAll(request, { signal })) {
      for (const stacItem of page) found.set(itemKey({ collection: stacItem.collection, item: stacItem.id }), stacItem);
    }
  });
  return found;
}

/**
 * A quote for the purchase's line items. Every item is looked up in the catalog first (one search with the
 * contract): an unknown item or a level the catalog does not give it fails here, before any order; a missing level
 * is filled in; inline prices are used. Items without an inline price are priced through the client. `dcp quote`
 * prices through this same function.
 */
export async function priceLineItems(
  client: DataCosmosClient,
  contractId: number,
  items: LineItemInput[],
  signal: AbortSignal,
): Promise<Quote> {
  const catalog = await lookUpCatalogItems(client, contractId, items, signal);
  // An inline price is the whole scene's: a sub-area is priced through the API's sub-area pricing.
  const parts = new Set(items.filter((line) => line.geometry).map(itemKey));
  const known = new Map<string, ItemPriceFact>();
  for (const [key, stacItem] of catalog) {
    const price = inlinePrice(stacItem);
    if (price && !parts.has(key)) known.set(key, price);
  }
  const levels = new Map(items.map((line) => [itemKey(line), levelOf(catalog, line)]));
  const prices = await priceRest(client, contractId, items, known, signal);
  const priced: PricedLineItem[] = items.map((line) => {
    const key = itemKey(line);
    const price = prices.get(key);
    if (!price) throw businessRule(`no price returned for ${key}`, 'PriceMissing');
    return { ...line, level: levels.get(key) as string, price: price.price, currency: price.currency };
  });
  const currencies = new Set(priced.map((line) => line.currency));
  if (currencies.size > 1) {
    throw businessRule(`prices came back in several currencies: ${[...currencies].join(', ')}`, 'PriceMismatch');
  }
  return { lineItems: priced, total: add(...priced.map((line) => line.price)), currency: priced[0].currency };
}

/** Why a quote cannot be compared with a budget in the contract's currency, or null when its prices are in it. */
export function quoteCurrencyMismatch(quote: Quote, contractCurrency: string | undefined): string | null {
  if (contractCurrency === undefined || quote.currency.toUpperCase() === contractCurrency.toUpperCase()) return null;
  return `prices came back in ${quote.currency}, not in the contract's currency ${contractCurrency}`;
}

/** Why a level given for an item is not the catalog's, or null when they agree (or either is unknown). */
export function levelMismatch(key: string, given: string | undefined, known: string | undefined): string | null {
  return given !== undefined && known !== undefined && given !== known
    ? `${key} has processing level ${known} in the catalog, not ${given}`
    : null;
}

/** The item's level: the one given, checked against the catalog's, or the catalog's. */
function levelOf(catalog: Map<string, StacItem>, line: LineItemInput): string {
  const key = itemKey(line);
  const stacItem = catalog.get(key);
  if (!stacItem) throw businessRule(`unknown item ${key}`, 'UnknownItem');
  const known = stacItem.properties['processing:level'];
  const mismatch = levelMismatch(key, line.level, known);
  if (mismatch) throw businessRule(mismatch, 'LevelMismatch');
  const level = line.level ?? known;
  if (!level) {
    throw businessRule(`the catalog gives no processing level for ${key}: name it as ${key}@LEVEL`, 'LevelUnknown');
  }
  return level;
}
