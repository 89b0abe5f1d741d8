/** `dcp search` (catalog with prices) and `dcp orders` (the organisation's DataCosmos orders). */
import type { SearchRequest, StacItem } from '../datacosmos/api-schemas';
import type { DataCosmosClient } from '../datacosmos';
import { withContext } from './context';
import { formatTable, printJson } from './output';
import { CliError, ExitCode } from '../shared/errors';

export interface SearchOptions {
  collection?: string[];
  id?: string[];
  bbox?: [number, number, number, number];
  datetime?: string;
  cloudLt?: number;
  contract?: number;
  prices: boolean;
  limit: number;
  json: boolean;
}

/** STAC search answers an unknown collection with no items; a user who mistyped one deserves to be told. */
async function assertCollectionsExist(api: DataCosmosClient, wanted: string[]): Promise<void> {
  const known = new Set((await api.listCollections()).map((c) => c.id));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new CliError(`unknown collection ${unknown.join(', ')} (known: ${[...known].join(', ')})`, ExitCode.USAGE);
  }
}

export async function search(options: SearchOptions): Promise<void> {
  await withContext(async (ctx) => {
    const api = ctx.datacosmos();
    if (options.collection) await assertCollectionsExist(api, options.collection);
    let contractId = options.contract;
    if (options.prices && contractId === undefined) {
      const contracts = await api.listContracts(ctx.settings.datacosmos.organisationId);
      contractId = contracts.find((c) => c.default_contract && c.active)?.contract_id;
    }
    const request: SearchRequest = {
      collections: options.collection,
      ids: options.id,
      bbox: options.bbox,
      datetime: options.datetime,
      query: options.cloudLt === undefined ? undefined : { 'eo:cloud_cover': { lt: options.cloudLt } },
      contract_id: options.prices ? contractId : undefined,
      limit: Math.min(options.limit, 100),
    };
    const items: StacItem[] = [];
    for await (const page of api.searchAll(request, { maxItems: options.limit })) items.push(...page);
    if (options.json) return printJson(items);
    process.stdout.write(
      `${formatTable(
        ['ITEM', 'DATETIME', 'LEVEL', 'CLOUD %', 'AREA km2', 'PRICE'],
        items.map((item) => {
          const p = item.properties;
          return [
            `${item.collection}/${item.id}`,
            p.datetime ?? '-',
            p['processing:level'] ?? '-',
            p['eo:cloud_cover'] === undefined ? '-' : String(p['eo:cloud_cover']),
            p['opencosmos:data_area_km2'] === undefined ? '-' : String(p['opencosmos:data_area_km2']),
            p['opencosmos:price'] === undefined
              ? '-'
              : `${p['opencosmos:price']} ${p['opencosmos:price_currency'] ?? ''}`,
          ];
        }),
      )}\n${items.length} items\n`,
    );
  });
}

export interface OrdersOptions {
  status?: 'UNPAID' | 'PAID' | 'CANCELLED';
  since?: string;
  limit: number;
  json: boolean;
}

export async function orders(options: OrdersOptions): Promise<void> {
  await withContext(async (ctx) => {
    const api = ctx.datacosmos();
    const orders = [];
    for await (const page of api.listAllOrders({
      organisationId: ctx.settings.datacosmos.organisationId,
      status: options.status,
      createdAfter: options.since,
    })) {
      // A listing that leaves orders out would mislead: say which one cannot be read instead.
      if (page.unreadableReason) throw new CliError(page.unreadableReason, ExitCode.API_ERROR);
      orders.push(...page.orders);
      if (orders.length >= options.limit) break;
    }
    orders.splice(options.limit);
    if (options.json) return printJson(orders);
    process.stdout.write(
      `${formatTable(
        ['ORDER', 'STATUS', 'PAYMENT', 'TOTAL', 'ITEMS', 'CREATED'],
        orders.map((o) => [
          o.id,
          o.status,
          o.payment_method ?? '-',
          o.total ? `${o.total} ${o.currency ?? ''}` : '-',
          o.order_line_items ? String(o.order_line_items.length) : '-',
          o.created_at ?? '-',
        ]),
      )}\n`,
    );
  });
}
