/** `dcp search` (catalog with prices) and `dcp orders` (the organisation's DataCosmos orders). */
import { Command, Option } from 'commander';
import type { SearchRequest, StacItem } from '../datacosmos/api-schemas';
import type { DataCosmosClient } from '../datacosmos';
import { formatTable, parser, printJson, withContext } from './context';
import { CliError, ExitCode } from '../shared/errors';

interface SearchOptions {
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

function parseBbox(text: string): [number, number, number, number] {
  const parts = text.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
    throw new RangeError(`--bbox: "${text}" is not WEST,SOUTH,EAST,NORTH`);
  }
  const [west, south, east, north] = parts;
  if (south > north || south < -90 || north > 90 || west < -180 || east > 180) {
    throw new RangeError(`--bbox: "${text}" is outside -180..180 / -90..90 or has south above north`);
  }
  return [west, south, east, north];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** A STAC datetime: an RFC 3339 instant, or an interval `A/B` where either end may be `..`. */
export function parseDatetime(text: string): string {
  const ends = text.split('/');
  const valid = (end: string) => RFC3339.test(end) && !Number.isNaN(Date.parse(end));
  const ok =
    ends.length === 1
      ? valid(ends[0])
      : ends.length === 2 && ends.some((e) => e !== '..') && ends.every((e) => e === '..' || valid(e));
  if (!ok)
    throw new RangeError(
      `--datetime: "${text}" is not an RFC 3339 instant or an interval like 2024-01-01T00:00:00Z/..`,
    );
  if (ends.length === 2 && ends.every(valid) && Date.parse(ends[0]) > Date.parse(ends[1])) {
    throw new RangeError(`--datetime: "${text}" ends before it starts`);
  }
  return text;
}

function parseNumber(text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n)) throw new RangeError(`"${text}" is not a number`);
  return n;
}

function parseLimit(text: string): number {
  const n = parseNumber(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000)
    throw new RangeError(`--limit: must be a whole number from 1 to 10000`);
  return n;
}

const repeat = (value: string, previous: string[] = []) => [...previous, value];

/** STAC search answers an unknown collection with no items; a user who mistyped one deserves to be told. */
async function assertCollectionsExist(api: DataCosmosClient, wanted: string[]): Promise<void> {
  const known = new Set((await api.listCollections()).map((c) => c.id));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new CliError(`unknown collection ${unknown.join(', ')} (known: ${[...known].join(', ')})`, ExitCode.USAGE);
  }
}

export function registerCatalogCommands(program: Command): void {
  program
    .command('search')
    .description('search the catalog, with prices under your contract')
    .option('--collection <id>', 'collection to search (repeatable)', repeat)
    .option('--id <item>', 'item id (repeatable)', repeat)
    .option('--bbox <w,s,e,n>', 'bounding box in degrees', parser(parseBbox))
    .option('--datetime <range>', 'RFC 3339 instant or interval, e.g. 2024-01-01T00:00:00Z/..', parser(parseDatetime))
    .option('--cloud-lt <percent>', 'only items with eo:cloud_cover below this', parser(parseNumber))
    .option('--contract <id>', 'price under this contract (default: the default contract)', parser(parseNumber))
    .option('--no-prices', 'do not ask for prices')
    .option('--limit <n>', 'at most this many items', parser(parseLimit), 20)
    .option('--json', 'print the items as JSON', false)
    .action(async (options: SearchOptions) => {
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
    });

  program
    .command('orders')
    .description("the organisation's DataCosmos orders, newest first")
    .addOption(new Option('--status <status>', 'only orders in this status').choices(['UNPAID', 'PAID', 'CANCELLED']))
    .option('--since <iso-time>', 'only orders created after this time')
    .option('--limit <n>', 'at most this many', parser(parseLimit), 50)
    .option('--json', 'print JSON', false)
    .action(
      async (options: { status?: 'UNPAID' | 'PAID' | 'CANCELLED'; since?: string; limit: number; json: boolean }) => {
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
      },
    );
}
