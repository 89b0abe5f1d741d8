/** STAC endpoints: collections, one collection, one item, and search (GET and POST). Bare STAC JSON, no envelope. */
import { itemKey } from './catalog';
import { callerOf, type RequestContext } from './context';
import { itemPrice, ownContract } from './contracts';
import { ApiError, ok, parseJsonBody, type Reply } from './http';
import { PATHS } from './paths';
import {
  compileSearch,
  encodeCursor,
  runSearch,
  searchRequestFromBody,
  searchRequestFromParams,
  type SearchRequest,
} from './search';
import type { SeedOrganisation } from './seed-data';
import { collectionJson, itemJson } from './stac-json';

export function listCollections(ctx: RequestContext): Reply {
  callerOf(ctx);
  const { publicUrl, catalog } = ctx.sim;
  return ok({
    collections: catalog.collections.map((spec) => collectionJson(publicUrl, catalog, spec)),
    links: [
      { rel: 'self', href: `${publicUrl}${PATHS.stacCollections}`, type: 'application/json' },
      { rel: 'root', href: `${publicUrl}${PATHS.stacCollections}`, type: 'application/json' },
    ],
  });
}

export function getCollection(ctx: RequestContext): Reply {
  callerOf(ctx);
  const { publicUrl, catalog } = ctx.sim;
  const spec = catalog.collections.find((c) => c.id === ctx.params[0]);
  if (!spec) throw new ApiError(404, `collection ${ctx.params[0]} not found`);
  return ok(collectionJson(publicUrl, catalog, spec));
}

export function getItem(ctx: RequestContext): Reply {
  callerOf(ctx);
  const [collection, id] = ctx.params;
  const item = ctx.sim.catalog.byKey.get(itemKey(collection, id));
  if (!item) throw new ApiError(404, `item ${id} not found in collection ${collection}`);
  return {
    status: 200,
    headers: { 'content-type': 'application/geo+json' },
    json: itemJson(ctx.sim.publicUrl, ctx.sim.facts, item),
  };
}

export function searchGet(ctx: RequestContext): Reply {
  const caller = callerOf(ctx);
  const request = searchRequestFromParams(ctx.url.searchParams);
  return search(ctx, caller.organisation, request, (cursor) => {
    const params = new URLSearchParams(ctx.url.searchParams);
    params.set('cursor', cursor);
    return {
      rel: 'next',
      href: `${ctx.sim.publicUrl}${PATHS.stacSearch}?${params}`,
      type: 'application/geo+json',
      method: 'GET',
    };
  });
}

export function searchPost(ctx: RequestContext): Reply {
  const caller = callerOf(ctx);
  const request = searchRequestFromBody(parseJsonBody(ctx.body));
  return search(ctx, caller.organisation, request, (cursor) => ({
    rel: 'next',
    href: `${ctx.sim.publicUrl}${PATHS.stacSearch}`,
    type: 'application/geo+json',
    method: 'POST',
    body: { ...request, cursor },
    merge: false,
  }));
}

function search(
  ctx: RequestContext,
  organisation: SeedOrganisation,
  request: SearchRequest,
  nextLink: (cursor: string) => Record<string, unknown>,
): Reply {
  const { publicUrl, catalog, facts } = ctx.sim;
  const contract =
    request.contract_id === undefined
      ? null
      : ownContract(organisation, request.contract_id, ctx.sim.state.settings.rateFactor);
  const query = compileSearch(request);
  const page = runSearch(catalog, query);
  const features = page.items.map((item) =>
    itemJson(
      publicUrl,
      facts,
      item,
      contract ? { price: itemPrice(contract, item), currency: contract.currency } : undefined,
    ),
  );
  const links: Record<string, unknown>[] = [
    { rel: 'root', href: `${publicUrl}${PATHS.stacCollections}`, type: 'application/json' },
  ];
  if (page.next !== null) links.push(nextLink(encodeCursor(page.next)));
  return {
    status: 200,
    headers: { 'content-type': 'application/geo+json' },
    json: {
      type: 'FeatureCollection',
      features,
      links,
      numberMatched: page.matched,
      numberReturned: features.length,
      context: { returned: features.length, limit: query.limit, matched: page.matched },
    },
  };
}
