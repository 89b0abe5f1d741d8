/**
 * `dcp probe`: asks the configured API, read-only, what a purchase needs (token, contracts, catalog, prices, orders)
 * and says for each endpoint how it answered and whether the reply reads with the client's schemas: which fields
 * a decision needs are missing or different, and which optional ones are absent. Nothing is created or paid.
 * It asks through the client's own connection (token provider, transport, paging), one attempt a request, and reads
 * each reply itself: the report shows the reply as it came, where the client would only throw its first mismatch.
 */
import type { z } from 'zod';
import { paths, withOrderId, type EndpointName } from './api-paths';
import {
  ContractsResponse,
  OrderList,
  OrderResponse,
  PriceBatchResponse,
  PriceResponse,
  StacCollections,
  StacItemCollection,
  TokenResponse,
  type StacItem,
} from './api-schemas';
import { isSuccess, readErrorBody } from './classify';
import { openConnection, type Connection } from './connection';
import { chooseContractFrom } from './contract-choice';
import { isDataCosmosError, redactSecrets } from './errors';
import type { TextReply } from './exchange';
import { resolveOptions, type DataCosmosClientOptions, type ResolvedOptions } from './options';
import { nextLinkPath } from './links';
import { toOrderPage } from './order-page';
import { followCursors } from './pagination';
import { describeIssue, formatPath, readReply } from './schema-check';
import type { Query, RequestSpec } from './transport';

export interface ProbeRow {
  endpoint: EndpointName;
  method: 'GET' | 'POST';
  path: string;
  /** The HTTP status, or why there was none (`unreachable: ...`, `skipped: ...`). */
  status: number | string;
  ok: boolean;
  /** A purchase cannot run without this endpoint answering. */
  needed: boolean;
  detail: string;
}

/** One raw exchange as the API answered it, secrets redacted: material for a test fixture. */
export interface ProbeRecord {
  endpoint: EndpointName;
  request: { method: string; path: string; query?: Query; body?: unknown };
  status: number | null;
  reply: unknown;
}

export interface ProbeReport {
  rows: ProbeRow[];
  records: ProbeRecord[];
  /** Everything a purchase needs answered: token, contracts, search, a price endpoint, and the order when asked. */
  usable: boolean;
  unreachable: boolean;
}

interface ProbeCall extends RequestSpec {
  needed: boolean;
}

/** Whose API to ask: the organisation, the contract a purchase names (else its default), an order to read. */
export interface ProbeInput {
  organisationId: number;
  contractId?: number;
  orderId?: string;
}

export async function probeApi(clientOptions: DataCosmosClientOptions, input: ProbeInput): Promise<ProbeReport> {
  const options = resolveOptions(clientOptions);
  const connection = openConnection(options);
  try {
    return await new Probe(options, connection).run(input);
  } finally {
    await connection.close();
  }
}

class Probe {
  private readonly rows: ProbeRow[] = [];
  private readonly records: ProbeRecord[] = [];
  private unreachable = false;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly connection: Connection,
  ) {}

  async run(input: ProbeInput): Promise<ProbeReport> {
    const { tokens } = this.connection;
    const token = await this.call(
      { endpoint: 'token', method: 'POST', path: paths.token, body: tokens.request(), needed: true },
      TokenResponse,
      () => tokens.send(1),
    );
    if (!token) return this.report(input);
    tokens.keep(token);

    const contracts = await this.call(
      {
        endpoint: 'policies',
        method: 'GET',
        path: paths.policies(input.organisationId),
        // Inactive ones too, as a purchase lists them: a named inactive contract is then refused as inactive.
        query: { include_inactive_contracts: 'true' },
        needed: true,
      },
      ContractsResponse,
    );
    const choice = chooseContractFrom(contracts?.data ?? [], input.organisationId, new Date(), input.contractId);
    const contract = 'contract' in choice ? choice.contract : undefined;
    if (contracts) {
      this.note(
        'contract' in choice
          ? `${input.contractId === undefined ? 'default ' : ''}contract ${choice.contract.contract_id} (${choice.contract.currency})`
          : `no contract a purchase could use: ${choice.problem}`,
      );
    }

    await this.collections();
    const search = await this.call(
      {
        endpoint: 'stac_search',
        method: 'POST',
        path: paths.stacSearch,
        body: { limit: 1, ...(contract ? { contract_id: contract.contract_id } : {}) },
        needed: true,
      },
      StacItemCollection,
    );
    const item: StacItem | undefined = search?.features[0];
    if (search) this.note(item ? describeItem(item) : 'the search returned no item');

    const ref = item ? { collection: item.collection, item: item.id } : null;
    const priceable = contract && ref;
    const skip = (endpoint: EndpointName, method: 'GET' | 'POST', path: string, why: string) =>
      this.rows.push({ endpoint, method, path, status: `skipped: ${why}`, ok: false, needed: false, detail: '' });
    if (priceable) {
      await this.call(
        {
          endpoint: 'price',
          method: 'GET',
          path: paths.priceV0,
          query: { ...ref, contract_id: String(contract.contract_id) },
          needed: false,
        },
        PriceResponse,
      );
      await this.call(
        {
          endpoint: 'price_batch',
          method: 'POST',
          path: paths.priceBatchV1(contract.contract_id),
          body: { items: [ref] },
          needed: false,
        },
        PriceBatchResponse,
      );
    } else {
      skip('price', 'GET', paths.priceV0, 'no contract or catalog item to price');
      skip(
        'price_batch',
        'POST',
        paths.priceBatchV1(contract?.contract_id ?? 0),
        'no contract or catalog item to price',
      );
    }

    const list = await this.call(
      {
        endpoint: 'order_list',
        method: 'GET',
        path: this.options.paths.orderList,
        query: { organisation: String(input.organisationId), limit: '5' },
        needed: false,
      },
      OrderList,
    );
    if (list) {
      const { unreadable, unreadableReason } = toOrderPage(list);
      this.note(
        `${list.data.length} order(s) on the first page${unreadable ? `, ${unreadable} without a readable id or status (${unreadableReason})` : ''}`,
      );
      if (unreadable) this.lastRow.ok = false;
    }

    if (input.orderId) {
      await this.call(
        {
          endpoint: 'order_get',
          method: 'GET',
          path: withOrderId(this.options.paths.orderGet, input.orderId),
          needed: true,
        },
        OrderResponse,
      );
    } else {
      skip('order_get', 'GET', this.options.paths.orderGet, 'give --order ORDER_ID to read one of your orders');
    }
    return this.report(input);
  }

  /** Every page of the collections, by their `next` links, as one row: the last page's. */
  private async collections(): Promise<void> {
    const pages = followCursors(
      'stac_collections',
      'GET',
      async (cursor) => {
        if (cursor !== undefined) this.rows.pop(); // one row for all pages
        const page = await this.call(
          { endpoint: 'stac_collections', method: 'GET', path: cursor ?? paths.stacCollections, needed: false },
          StacCollections,
        );
        return {
          count: page?.collections.length ?? 0,
          nextCursor: page ? nextLinkPath(page.links, this.options.apiUrl) : null,
        };
      },
      // One attempt a request, like every other: the report is of what the API answered.
      { retry: false },
    );
    let count = 0;
    try {
      for await (const page of pages) count += page.count;
    } catch (error) {
      // A `next` link that comes back would page forever: the shared paging refuses it, and the row says so.
      if (!isDataCosmosError(error)) throw error;
      Object.assign(this.lastRow, { ok: false, detail: error.message });
      return;
    }
    if (this.lastRow.ok) this.note(`${count} collection(s)`);
  }

  /** One exchange, one attempt: recorded, judged by its status and by the schema, and returned parsed when it reads. */
  private async call<S extends z.ZodType>(
    call: ProbeCall,
    schema: S,
    send = () => this.connection.transport.reply(call),
  ): Promise<z.output<S> | null> {
    const row: ProbeRow = {
      endpoint: call.endpoint,
      method: call.method,
      path: call.path,
      status: 0,
      ok: false,
      needed: call.needed,
      detail: '',
    };
    this.rows.push(row);
    let reply: TextReply;
    try {
      reply = await send();
    } catch (error) {
      this.unreachable ||= call.endpoint === 'token';
      row.status = `unreachable: ${isDataCosmosError(error) ? error.message : String(error)}`;
      this.record(call, null, null);
      return null;
    }
    row.status = reply.status;
    const reading = readReply(schema, reply.bodyText);
    const json = 'json' in reading ? reading.json : undefined;
    this.record(call, reply.status, json === undefined ? reply.bodyText : json);
    if (!isSuccess(reply.status)) {
      const said = readErrorBody(reply.bodyText).messages.join('; ');
      row.detail = reply.status === 404 || reply.status === 405 ? 'not served here' : said || 'refused';
      return null;
    }
    if ('notJson' in reading) {
      row.detail = `does not read: not JSON (${reading.notJson})`;
      return null;
    }
    if (!reading.result.success) {
      row.detail = `does not read: ${reading.result.error.issues
        .slice(0, 3)
        .map((issue) => `${formatPath(issue.path) || '(root)'} ${describeIssue(issue)}`)
        .join('; ')}`;
      return null;
    }
    row.ok = true;
    row.detail = 'reads';
    return reading.result.data;
  }

  private get lastRow(): ProbeRow {
    return this.rows[this.rows.length - 1];
  }

  private note(text: string): void {
    const row = this.lastRow;
    row.detail = row.detail ? `${row.detail}; ${text}` : text;
  }

  private record(call: ProbeCall, status: number | null, reply: unknown): void {
    this.records.push(
      redact(
        {
          endpoint: call.endpoint,
          request: {
            method: call.method,
            path: call.path,
            ...(call.query ? { query: call.query } : {}),
            ...(call.body !== undefined ? { body: call.body } : {}),
          },
          status,
          reply,
        },
        this.connection.tokens.secrets(),
      ),
    );
  }

  private report(input: { orderId?: string }): ProbeReport {
    const answered = (endpoint: EndpointName) => this.rows.some((row) => row.endpoint === endpoint && row.ok);
    const usable =
      ['token', 'policies', 'stac_search'].every((e) => answered(e as EndpointName)) &&
      (answered('price') || answered('price_batch')) &&
      (!input.orderId || answered('order_get'));
    // A row quotes what the API said, and an API may echo what it was sent (the client secret, in a refusal).
    const secrets = this.connection.tokens.secrets();
    const rows = this.rows.map((row) => ({
      ...row,
      status: typeof row.status === 'string' ? redactSecrets(row.status, secrets) : row.status,
      detail: redactSecrets(row.detail, secrets),
    }));
    return { rows, records: this.records, usable, unreachable: this.unreachable };
  }
}

function describeItem(item: StacItem): string {
  const p = item.properties;
  const absent = ['processing:level', 'opencosmos:price'].filter((key) => p[key] === undefined);
  return `item ${item.collection}/${item.id}${absent.length ? `; absent: ${absent.join(', ')}` : ''}`;
}

/** The record with every secret (client secret, token, any access_token value) replaced by `[redacted]`. */
function redact(record: ProbeRecord, secrets: string[]): ProbeRecord {
  const text = JSON.stringify(record, (key, value) =>
    (key === 'access_token' || key === 'client_secret') && typeof value === 'string' ? '[redacted]' : value,
  );
  return JSON.parse(redactSecrets(text, secrets));
}
