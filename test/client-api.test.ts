/**
 * Every DataCosmosClient method against the real simulator program over HTTP: success, the API's
 * own failures (unknown item, inactive contract, another organisation's order, insufficient
 * credits) and pagination over many pages. Needs a build first (dist/simulator/main.js).
 */
import {
  DataCosmosClient,
  ORDER_LIST_PAGE_SIZE,
  type DataCosmosClientOptions,
  type Order,
  type RequestEvent,
  type StacItem,
} from '../src/datacosmos';
import type { CreatedOrder } from '../src/datacosmos/types';
import {
  ACME,
  BLUE_FIELDS,
  CIRRUS,
  spawnSimulator,
  type SeedClient,
  type SimulatorProcess,
} from '../harness/simulator';
import { failure } from './support/failure';

let sim: SimulatorProcess;
const clients: DataCosmosClient[] = [];
let acme: DataCosmosClient;
let catalog: StacItem[];

function clientFor(
  seed: SeedClient,
  onRequest?: (event: RequestEvent) => void,
  options: Partial<DataCosmosClientOptions> = {},
): DataCosmosClient {
  const client = new DataCosmosClient({
    apiUrl: sim.url,
    authUrl: sim.url,
    clientId: seed.clientId,
    clientSecret: seed.clientSecret,
    onRequest,
    ...options,
  });
  clients.push(client);
  return client;
}

function orderOf(seed: SeedClient, items: StacItem[]) {
  return {
    type: 'IMAGE' as const,
    data: {
      order_line_items: items.map((item) => ({
        collection: item.collection,
        item: item.id,
        level: item.properties['processing:level'] as string,
      })),
    },
    organisation: seed.organisation,
    contract_id: seed.contract,
  };
}

beforeAll(async () => {
  sim = await spawnSimulator({ args: ['--items', '600'] });
  acme = clientFor(ACME);
  catalog = (await acme.search({ collections: ['menut-l1c-cogs'], limit: 20 })).items;
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await sim?.stop();
});

describe('contracts', () => {
  it('lists active contracts, and inactive ones on request', async () => {
    const active = await acme.listContracts(ACME.organisation);
    expect(active.find((c) => c.default_contract)).toMatchObject({ contract_id: 5001, currency: 'EUR', active: true });
    expect(active.map((c) => c.contract_id)).not.toContain(5003);
    const all = await acme.listContracts(ACME.organisation, { includeInactive: true });
    expect(all.find((c) => c.contract_id === 5003)).toMatchObject({ active: false });
  });

  it("refuses another organisation's contracts", async () => {
    const error = await failure(acme.listContracts(BLUE_FIELDS.organisation));
    expect(error).toMatchObject({ kind: 'http', status: 403, retryable: false, endpoint: 'policies' });
    expect(error.message).toMatch(/^policies GET failed \(403\): organisation 1002/);
  });
});

describe('catalog', () => {
  it('lists collections and reads one', async () => {
    const ids = (await acme.listCollections()).map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining(['menut-l1c-cogs', 'mantis-l1d-cogs', 'hammer-l1c-cogs', 'platero-l1c-cogs']),
    );
  });

  it('reads an item found by search, and fails with the API message on an unknown one', async () => {
    const item = await acme.getItem(catalog[0].collection, catalog[0].id);
    expect(item.id).toBe(catalog[0].id);
    const error = await failure(acme.getItem('menut-l1c-cogs', 'NO_SUCH_ITEM'));
    expect(error).toMatchObject({ kind: 'http', status: 404, retryable: false, endpoint: 'stac_item', method: 'GET' });
    expect(error.message).toBe('stac_item GET failed (404): item NO_SUCH_ITEM not found in collection menut-l1c-cogs');
    expect(error.traceId).toEqual(expect.any(String));
  });

  it('pages through a whole search without duplicates', async () => {
    const request = { collections: ['menut-l1c-cogs', 'hammer-l1c-cogs'], limit: 17 };
    const first = await acme.search(request);
    expect(first.nextCursor).not.toBeNull();
    const pages: StacItem[][] = [];
    for await (const page of acme.searchAll(request)) pages.push(page);
    const ids = pages.flat().map((item) => `${item.collection}/${item.id}`);
    expect(pages.length).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(first.matched);
  });

  it('stops at maxItems', async () => {
    let count = 0;
    for await (const page of acme.searchAll({ limit: 7 }, { maxItems: 30 })) count += page.length;
    expect(count).toBe(30);
  });

  it('rejects an invalid search before sending it, naming the field', async () => {
    const events: RequestEvent[] = [];
    const client = clientFor(ACME, (event) => events.push(event));
    const error = await failure(client.search({ limit: 0 }));
    expect(error).toMatchObject({ kind: 'schema', retryable: false, schemaPath: 'limit' });
    expect(error.message).toMatch(/^stac_search: request limit: /);
    expect(events).toEqual([]);
  });
});

describe('pricing', () => {
  const refs = () => catalog.slice(0, 3).map((item) => ({ collection: item.collection, item: item.id }));

  it('prices items with the v1 batch or the v0 price alike, as decimal strings in input order', async () => {
    const batch = await clientFor(ACME, undefined, { pricing: 'v1-batch' }).priceItems(ACME.contract, refs());
    expect(batch.map((p) => p.item)).toEqual(refs().map((r) => r.item));
    expect(batch[0]).toMatchObject({ currency: 'EUR', final: expect.stringMatching(/^\d+(\.\d+)?$/) });
    const events: RequestEvent[] = [];
    const v0 = await clientFor(ACME, (event) => events.push(event), { pricing: 'v0' }).priceItems(
      ACME.contract,
      refs(),
    );
    expect(v0.map(({ collection, item, final, currency }) => ({ collection, item, final, currency }))).toEqual(
      batch.map(({ collection, item, final, currency }) => ({ collection, item, final, currency })),
    );
    expect(events.map((e) => e.endpoint).filter((e) => e !== 'token')).toEqual(['price', 'price', 'price']);
    expect(await acme.priceItems(ACME.contract, [])).toEqual([]);
  });

  it('auto pricing keeps to the v0 price, said once, when the v1 batch is not served', async () => {
    // The documented API has no v1 batch price (404).
    await sim.admin.setSettings({ apiVariant: 'documented' });
    const fallbacks: string[] = [];
    const events: RequestEvent[] = [];
    const client = clientFor(ACME, (event) => events.push(event), { onPricingFallback: (r) => fallbacks.push(r) });
    try {
      await client.priceItems(ACME.contract, refs());
      await client.priceItems(ACME.contract, refs().slice(0, 1));
    } finally {
      await sim.admin.setSettings({ apiVariant: 'full' });
    }
    expect(events.map((e) => e.endpoint).filter((e) => e !== 'token')).toEqual([
      'price_batch',
      'price',
      'price',
      'price',
      'price',
    ]);
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toMatch(/v1 batch pricing is not usable .*404/);
  });

  it('splits batches of more than 500 items', async () => {
    const items: StacItem[] = [];
    for await (const page of acme.searchAll({ limit: 250 }, { maxItems: 501 })) items.push(...page);
    const events: RequestEvent[] = [];
    const client = clientFor(ACME, (event) => events.push(event));
    const prices = await client.priceItems(
      ACME.contract,
      items.map((item) => ({ collection: item.collection, item: item.id })),
    );
    expect(prices).toHaveLength(501);
    expect(events.filter((e) => e.endpoint === 'price_batch').map((e) => e.status)).toEqual([200, 200]);
  });

  it('fails on an inactive contract and an unknown item', async () => {
    const inactive = await failure(acme.priceItems(5003, refs().slice(0, 1)));
    expect(inactive).toMatchObject({
      kind: 'http',
      status: 400,
      retryable: false,
      apiMessages: ['contract 5003 is not active'],
    });
    // The batch's 404 could mean "not served here": the v0 price settles it, and its 404 is the answer.
    const fallbacks: string[] = [];
    const client = clientFor(ACME, undefined, { onPricingFallback: (r) => fallbacks.push(r) });
    const unknown = await failure(client.priceItems(ACME.contract, [{ collection: 'menut-l1c-cogs', item: 'NOPE' }]));
    expect(unknown).toMatchObject({ status: 404, endpoint: 'price', method: 'GET' });
    expect(fallbacks).toEqual([]);
    const events: RequestEvent[] = [];
    await clientFor(ACME, (event) => events.push(event)).priceItems(ACME.contract, refs());
    expect(events.map((e) => e.endpoint).filter((e) => e !== 'token')).toEqual(['price_batch']);
  });
});

describe('orders', () => {
  it('creates, reads and checks out with credits: paid at once, no payment link', async () => {
    const order = await acme.createOrder(orderOf(ACME, catalog.slice(0, 1)));
    expect(order).toMatchObject({ status: 'UNPAID', organisation_id: ACME.organisation, contract_id: ACME.contract });
    expect((await acme.getOrder(order.id)).id).toBe(order.id);
    const outcome = await acme.checkout(order.id);
    expect(outcome.order?.status).toBe('PAID');
    expect(outcome.checkoutUrl).toBeNull();
  });

  it('returns a card payment link when credits fall short', async () => {
    const blue = clientFor(BLUE_FIELDS);
    const order = await blue.createOrder(orderOf(BLUE_FIELDS, catalog.slice(1, 2)), {
      redirectHost: 'https://example.test',
    });
    const outcome = await blue.checkout(order.id);
    expect(outcome.order?.status).toBe('UNPAID');
    expect(outcome.checkoutUrl).toMatch(/^https?:\/\//);
  });

  it('fails checkout with 402 when credits are short and cards are disabled', async () => {
    const cirrus = clientFor(CIRRUS);
    await sim.admin.setCredits(CIRRUS.organisation, '0');
    const order = await cirrus.createOrder(orderOf(CIRRUS, catalog.slice(2, 3)));
    const error = await failure(cirrus.checkout(order.id));
    expect(error).toMatchObject({ kind: 'http', status: 402, retryable: false, endpoint: 'order_checkout' });
    expect(error.apiMessages[0]).toMatch(/^Insufficient credits/);
  });

  it("hides another organisation's order as 404", async () => {
    const order = await acme.createOrder(orderOf(ACME, catalog.slice(3, 4)));
    const error = await failure(clientFor(BLUE_FIELDS).getOrder(order.id));
    // 404 on an assumed path: the order is not this organisation's, or the API serves orders elsewhere.
    expect(error).toMatchObject({ kind: 'unsupported', status: 404, retryable: false, endpoint: 'order_get' });
  });

  it('fails to order under an inactive contract or one whose window ended', async () => {
    for (const contractId of [5003, 5004]) {
      const error = await failure(acme.createOrder({ ...orderOf(ACME, catalog.slice(0, 1)), contract_id: contractId }));
      expect(error).toMatchObject({ kind: 'http', status: 400, retryable: false });
      expect(error.apiMessages[0]).toContain(`contract ${contractId}`);
    }
  });

  it('rejects an order without line items before sending it', async () => {
    const before = (await sim.admin.orders(ACME.organisation)).length;
    const error = await failure(acme.createOrder(orderOf(ACME, [])));
    expect(error).toMatchObject({ kind: 'schema', schemaPath: 'data.order_line_items' });
    expect(await sim.admin.orders(ACME.organisation)).toHaveLength(before);
  });

  it('pages through orders newest first without duplicates, and filters by status and creation time', async () => {
    const blue = clientFor(BLUE_FIELDS);
    const since = new Date(Date.now() - 1000).toISOString();
    const created: CreatedOrder[] = [];
    for (const item of catalog.slice(5, 12)) created.push(await blue.createOrder(orderOf(BLUE_FIELDS, [item])));
    const page = await blue.listOrders({ organisationId: BLUE_FIELDS.organisation, limit: 3 });
    expect(page.orders).toHaveLength(3);
    expect(page.nextCursor).not.toBeNull();

    const listed: Order[] = [];
    const query = { organisationId: BLUE_FIELDS.organisation, limit: 2, createdAfter: since };
    for await (const listedPage of blue.listAllOrders(query)) listed.push(...listedPage.orders);
    const ids = listed.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(created.map((o) => o.id)));
    expect(ids.slice(0, created.length)).toEqual(created.map((o) => o.id).reverse());

    const paid = await blue.listOrders({ organisationId: BLUE_FIELDS.organisation, status: 'PAID' });
    expect(paid.orders.map((o) => o.id)).not.toContain(created[0].id);
  });

  it(`lists ${ORDER_LIST_PAGE_SIZE} orders a page, and at the API's own size once the API refuses that one`, async () => {
    const lists: Array<number | 'error'> = [];
    const blue = clientFor(BLUE_FIELDS, (event) => event.endpoint === 'order_list' && lists.push(event.status));
    for (let i = 0; i < 60; i++) await blue.createOrder(orderOf(BLUE_FIELDS, [catalog[i % catalog.length]]));
    const listAll = async () => {
      lists.length = 0;
      const ids: string[] = [];
      for await (const page of blue.listAllOrders({ organisationId: BLUE_FIELDS.organisation })) {
        ids.push(...page.orders.map((order) => order.id));
      }
      return { ids, requests: [...lists] };
    };
    const large = await listAll();
    expect(large.ids.length).toBeGreaterThanOrEqual(60);
    expect(large.ids.length).toBeLessThan(ORDER_LIST_PAGE_SIZE);
    expect(large.requests).toEqual([200]); // every order in one page

    await sim.admin.setSettings({ orderListMaxLimit: 50 });
    try {
      const pagesOf50 = Array<number>(Math.ceil(large.ids.length / 50)).fill(200);
      const refused = await listAll();
      expect(refused.requests).toEqual([400, ...pagesOf50]);
      expect(refused.ids).toEqual(large.ids);
      const remembered = await listAll();
      expect(remembered.requests).toEqual(pagesOf50);
      expect(remembered.ids).toEqual(large.ids);
    } finally {
      await sim.admin.setSettings({ orderListMaxLimit: ORDER_LIST_PAGE_SIZE });
    }
  });
});

describe('download', () => {
  it('streams a paid asset in whole and from an offset', async () => {
    const item = catalog[0];
    await acme.checkout((await acme.createOrder(orderOf(ACME, [item]))).id);
    const asset = item.assets.visual;
    const whole = await acme.download(asset.href);
    const bytes = Buffer.concat(await whole.body.toArray());
    expect(whole.status).toBe(200);
    expect(bytes.length).toBe(asset['file:size']);
    expect(whole.contentLength).toBe(asset['file:size']);

    const tail = await acme.download(new URL(asset.href).pathname, { rangeStart: 100 });
    const rest = Buffer.concat(await tail.body.toArray());
    expect(tail.status).toBe(206);
    expect(rest.equals(bytes.subarray(100))).toBe(true);
  });

  it('fails with 403 for an asset the organisation has not bought', async () => {
    const unbought = catalog[catalog.length - 1];
    const error = await failure(clientFor(CIRRUS).download(unbought.assets.visual.href));
    expect(error).toMatchObject({ kind: 'http', status: 403, endpoint: 'storage', retryable: false });
  });
});
