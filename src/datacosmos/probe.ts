/**
 * `dcp probe`: asks the configured API, read-only, what a purchase needs (token, contracts, catalog, prices, orders)
 * and says for each endpoint how it answered and whether the reply reads with the client's schemas: which fields
 * a decision needs are missing or different, and which optional ones are absent. Nothing is created or paid.
 */
import { Agent } from 'undici';
import type { z } from 'zod';
import { paths, withOrderId, type EndpointName } from './api-paths';
import {
  ContractsResponse,
  Order,
  OrderList,
  OrderResponse,
  PriceBatchResponse,
  PriceResponse,
  StacCollections,
  StacItemCollection,
  TokenResponse,
  type StacItem,
} from './api-schemas';
import type { Exchange } from './classify';
import { chooseContractFrom } from './contract-choice';
import { DataCosmosError } from './errors';
import { exchangeText, type TextReply } from './exchange';
import { resolveOptions, type DataCosmosClientOptions, type ResolvedOptions } from './options';
import { nextLinkPath } from './links';
import { describeIssue, formatPath } from './schema-check';

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
  request: { method: string; path: string; query?: Record<string, string>; body?: unknown };
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

interface ProbeCall {
  endpoint: EndpointName;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  needed: boolean;
}

/** Whose API to ask: the organisation, the contract a purchase names (else its default), an order to read. */
export interface ProbeInput {
  organisationId: number;
  contractId?: number;
  orderId?: string;
}

export async function probeApi(clientOptions: DataCosmosClientOptions, input: ProbeInput): Promise<ProbeReport> {
  const probe = new Probe(resolveOptions({ ...clientOptions, retry: false }));
  try {
    return await probe.run(input);
  } finally {
    await probe.close();
  }
}

class Probe {
  private readonly agent = new Agent({ connections: 4 });
  private readonly rows: ProbeRow[] = [];
  private readonly records: ProbeRecord[] = [];
  private token: string | null = null;
  private unreachable = false;

  constructor(private readonly options: ResolvedOptions) {}

  async run(input: ProbeInput): Promise<ProbeReport> {
    const tokenReply = await this.call(
      { endpoint: 'token', method: 'POST', path: paths.token, body: this.tokenRequest(), needed: true },
      TokenResponse,
      this.options.authUrl,
    );
    this.token = tokenReply?.access_token ?? null;
    if (this.token === null) return this.report(input);

    const contracts = await this.call(
      { endpoint: 'policies', method: 'GET', path: paths.policies(input.organisationId), needed: true },
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
      const unreadable = list.data.filter((entry) => !Order.safeParse(entry).success).length;
      this.note(
        `${list.data.length} order(s) on the first page${unreadable ? `, ${unreadable} without a readable id or status` : ''}`,
      );
      if (unreadable) this.rows[this.rows.length - 1].ok = false;
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

  close(): Promise<void> {
    return this.agent.close();
  }

  private tokenRequest() {
    return {
      grant_type: 'client_credentials' as const,
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      audience: this.options.audience,
    };
  }

  /** Every page of the collections, by their `next` links. */
  private async collections(): Promise<void> {
    let path: string | null = paths.stacCollections;
    let count = 0;
    const seen = new Set<string>();
    while (path !== null && !seen.has(path)) {
      seen.add(path);
      const page: z.output<typeof StacCollections> | null = await this.call(
        { endpoint: 'stac_collections', method: 'GET', path, needed: false },
        StacCollections,
      );
      if (!page) return;
      count += page.collections.length;
      path = nextLinkPath(page.links, this.options.apiUrl);
      if (path !== null) this.rows.pop(); // one row for all pages
    }
    this.note(`${count} collection(s)`);
  }

  /** One exchange: recorded, judged by its status and by the schema, and returned parsed when it reads. */
  private async call<S extends z.ZodType>(
    call: ProbeCall,
    schema: S,
    base = this.options.apiUrl,
  ): Promise<z.output<S> | null> {
    const exchange: Exchange = { endpoint: call.endpoint, method: call.method, unsafeToRepeat: false };
    const url = new URL(`${base}${call.path}`);
    for (const [key, value] of Object.entries(call.query ?? {})) url.searchParams.set(key, value);
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
      reply = await exchangeText(
        { dispatcher: this.agent, timeoutMs: this.options.requestTimeoutMs },
        {
          exchange,
          url: url.toString(),
          headers: { accept: 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
          body: call.body,
          attempt: 1,
        },
      );
    } catch (error) {
      this.unreachable ||= call.endpoint === 'token';
      row.status = `unreachable: ${error instanceof DataCosmosError ? error.message : String(error)}`;
      this.record(call, null, null);
      return null;
    }
    row.status = reply.status;
    const json = readJson(reply.bodyText);
    this.record(call, reply.status, json === undefined ? reply.bodyText : json);
    if (reply.status < 200 || reply.status >= 300) {
      row.detail = reply.status === 404 || reply.status === 405 ? 'not served here' : (errorText(json) ?? 'refused');
      return null;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      row.detail = `does not read: ${parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${formatPath(issue.path) || '(root)'} ${describeIssue(issue)}`)
        .join('; ')}`;
      return null;
    }
    row.ok = true;
    row.detail = 'reads';
    return parsed.data;
  }

  private note(text: string): void {
    const row = this.rows[this.rows.length - 1];
    row.detail = row.detail ? `${row.detail}; ${text}` : text;
  }

  private record(call: ProbeCall, status: number | null, reply: unknown): void {
    const secrets = [this.options.clientSecret, this.token].filter((s): s is string => !!s);
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
        secrets,
      ),
    );
  }

  private report(input: { orderId?: string }): ProbeReport {
    const answered = (endpoint: EndpointName) => this.rows.some((row) => row.endpoint === endpoint && row.ok);
    const usable =
      ['token', 'policies', 'stac_search'].every((e) => answered(e as EndpointName)) &&
      (answered('price') || answered('price_batch')) &&
      (!input.orderId || answered('order_get'));
    return { rows: this.rows, records: this.records, usable, unreachable: this.unreachable };
  }
}

function describeItem(item: StacItem): string {
  const p = item.properties;
  const absent = ['processing:level', 'opencosmos:price'].filter((key) => p[key] === undefined);
  return `item ${item.collection}/${item.id}${absent.length ? `; absent: ${absent.join(', ')}` : ''}`;
}

function readJson(text: string): unknown {
  try {
    return text.trim() === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorText(json: unknown): string | undefined {
  const errors = (json as { errors?: Array<{ message?: unknown }> } | undefined)?.errors;
  const messages = Array.isArray(errors) ? errors.map((e) => e?.message).filter((m) => typeof m === 'string') : [];
  return messages.length ? messages.join('; ') : undefined;
}

/** The record with every secret (client secret, token, any access_token value) replaced by `[redacted]`. */
function redact(record: ProbeRecord, secrets: string[]): ProbeRecord {
  const text = JSON.stringify(record, (key, value) =>
    (key === 'access_token' || key === 'client_secret') && typeof value === 'string' ? '[redacted]' : value,
  );
  return JSON.parse(secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text));
}
