/**
 * The client under the simulator's injected faults and token expiry, over real HTTP: what is
 * retried, what is not, what each failure is classified as, and that no error ever carries the
 * client secret or a token. Needs a build first (dist/simulator/main.js).
 */
import {
  DataCosmosClient,
  DataCosmosError,
  type DataCosmosClientOptions,
  type DataCosmosErrorKind,
  type RequestEvent,
  type StacItem,
} from '../src/datacosmos';
import { ACME, spawnSimulator, type SimulatorProcess } from '../harness/simulator';
import type { FaultSpec } from '../simulator/faults';
import type { EndpointName } from '../src/datacosmos/api-paths';
import { failure } from './support/failure';

let sim: SimulatorProcess;
let item: StacItem;
const clients: DataCosmosClient[] = [];

/** An ACME client that records its exchanges; fast retries unless the test says otherwise. */
function testClient(overrides: Partial<DataCosmosClientOptions> = {}) {
  const events: RequestEvent[] = [];
  const client = new DataCosmosClient({
    apiUrl: sim.url,
    authUrl: sim.url,
    clientId: ACME.clientId,
    clientSecret: ACME.clientSecret,
    retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 50 },
    requestTimeoutMs: 2000,
    onRequest: (event) => events.push(event),
    ...overrides,
  });
  clients.push(client);
  const statuses = (endpoint: EndpointName) => events.filter((e) => e.endpoint === endpoint).map((e) => e.status);
  return { client, statuses };
}

function fault(endpoint: EndpointName, spec: FaultSpec, seed = 1) {
  return sim.admin.setFaults({ seed, endpoints: { [endpoint]: spec } });
}

function createRequest() {
  return {
    type: 'IMAGE' as const,
    data: {
      order_line_items: [
        { collection: item.collection, item: item.id, level: item.properties['processing:level'] as string },
      ],
    },
    organisation: ACME.organisation,
    contract_id: ACME.contract,
  };
}

/** The error, as a person or a log would see it, mentions none of the secrets. */
function expectNoSecrets(error: DataCosmosError, secrets: string[]) {
  for (const text of [error.message, JSON.stringify(error), String(error.stack)]) {
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  sim = await spawnSimulator({ args: ['--items', '200'] });
  item = (await testClient().client.search({ collections: ['mantis-l1d-cogs'], limit: 1 })).items[0];
});

afterEach(async () => {
  await sim.admin.setFaults({ endpoints: {} });
  await sim.admin.setSettings({ tokenLifetimeS: 3600 });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await sim?.stop();
});

describe('retries', () => {
  it('retries 5xx until the attempts run out', async () => {
    const { client, statuses } = testClient();
    await fault('order_get', { error5xx: 1 });
    const error = await failure(client.getOrder('00000000-0000-0000-0000-000000000000'));
    expect(error).toMatchObject({ kind: 'http', status: 503, retryable: true });
    expect(statuses('order_get')).toEqual([503, 503, 503]);
  });

  it('gets through intermittent 5xx', async () => {
    const { client, statuses } = testClient({ retry: { maxAttempts: 6, baseDelayMs: 5, maxDelayMs: 50 } });
    await fault('policies', { error5xx: 0.5 }, 7);
    await expect(client.listContracts(ACME.organisation)).resolves.toEqual(expect.any(Array));
    expect(statuses('policies')).toContain(503);
    expect(statuses('policies').at(-1)).toBe(200);
  });

  it('waits out Retry-After on 429', async () => {
    const { client, statuses } = testClient({ retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5000 } });
    await fault('stac_item', { rateLimit429: 1, retryAfterS: 1 });
    const started = Date.now();
    const error = await failure(client.getItem(item.collection, item.id));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryable: true, retryAfterMs: 1000 });
    expect(statuses('stac_item')).toEqual([429, 429]);
  });

  it('hands a Retry-After longer than maxDelayMs to the caller instead of waiting', async () => {
    const { client, statuses } = testClient();
    await fault('stac_item', { rateLimit429: 1, retryAfterS: 30 });
    const error = await failure(client.getItem(item.collection, item.id));
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000 });
    expect(statuses('stac_item')).toEqual([429]);
  });

  it('retries connection resets, and makes one attempt with retry: false', async () => {
    const retrying = testClient();
    await fault('policies', { reset: 1 });
    const error = await failure(retrying.client.listContracts(ACME.organisation));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(retrying.statuses('policies')).toEqual(['error', 'error', 'error']);

    const single = testClient({ retry: false });
    expect(await failure(single.client.listContracts(ACME.organisation))).toMatchObject({ kind: 'network' });
    expect(single.statuses('policies')).toEqual(['error']);
  });

  it('times out a request that hangs', async () => {
    const { client } = testClient({ requestTimeoutMs: 300, retry: false });
    await fault('stac_item', { hang: 1 });
    const error = await failure(client.getItem(item.collection, item.id));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.message).toBe('stac_item GET failed (timeout): no complete reply within 300 ms');
  });

  it("ends a hanging request with the caller's abort reason", async () => {
    const { client } = testClient({ requestTimeoutMs: 60_000 });
    await fault('stac_item', { hang: 1 });
    const controller = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => controller.abort(reason), 100);
    await expect(client.getItem(item.collection, item.id, controller.signal)).rejects.toBe(reason);
  });
});

describe('malformed and drifted replies', () => {
  it('fails a reply that is not JSON as a schema error, without retrying', async () => {
    const { client, statuses } = testClient();
    await fault('stac_item', { malformed: 1 });
    const error = await failure(client.getItem(item.collection, item.id));
    expect(error).toMatchObject({ kind: 'schema', retryable: false });
    expect(error.message).toMatch(/^stac_item: response is not JSON: /);
    expect(statuses('stac_item')).toEqual([200]);
  });

  it('takes a checkout reply that is not JSON for a checkout made: the order is read, not checked out again', async () => {
    const { client, statuses } = testClient();
    const order = await client.createOrder(createRequest());
    await fault('order_checkout', { malformed: 1 });
    await expect(client.checkout(order.id)).resolves.toEqual({ order: null, checkoutUrl: null });
    expect(statuses('order_checkout')).toEqual([200]);
  });

  it('names the JSON path of a drifted field', async () => {
    const { client } = testClient();
    const order = await client.createOrder(createRequest());
    await fault('order_get', { schemaDrift: 1 });
    const error = await failure(client.getOrder(order.id));
    expect(error.message).toBe('order_get: response data.status: expected string, received undefined');
    expect(error).toMatchObject({ kind: 'schema', retryable: false, schemaPath: 'data.status' });
  });
});

describe('order create is never repeated', () => {
  async function createUnder(spec: FaultSpec) {
    const { client, statuses } = testClient();
    await fault('order_create', spec);
    const before = (await sim.admin.orders(ACME.organisation)).length;
    const error = await failure(client.createOrder(createRequest()));
    await sim.admin.setFaults({ endpoints: {} });
    const created = (await sim.admin.orders(ACME.organisation)).length - before;
    return { error, created, attempts: statuses('order_create') };
  }

  it('reports a lost reply as outcome_unknown; exactly one order exists', async () => {
    const { error, created, attempts } = await createUnder({ lostReply: 1 });
    expect(error).toMatchObject({ kind: 'outcome_unknown', retryable: true, endpoint: 'order_create' });
    expect(error.message).toMatch(/^order_create POST failed \(.+\): .*the order may or may not exist$/);
    expect(attempts).toEqual(['error']);
    expect(created).toBe(1);
  });

  it('reports a reset and a timeout as outcome_unknown', async () => {
    const reset = await createUnder({ reset: 1 });
    expect(reset).toMatchObject({ error: { kind: 'outcome_unknown' }, attempts: ['error'], created: 0 });
    const { client } = testClient({ requestTimeoutMs: 300 });
    await fault('order_create', { hang: 1 });
    const timeout = await failure(client.createOrder(createRequest()));
    expect(timeout).toMatchObject({ kind: 'outcome_unknown', retryable: true });
  });

  it('does not repeat a create that failed with a 5xx, even one with the API error envelope: its outcome is unknown', async () => {
    const { error, created, attempts } = await createUnder({ error5xx: 1 });
    expect(error).toMatchObject({ kind: 'outcome_unknown', status: 503, retryable: true });
    expect(attempts).toEqual([503]);
    expect(created).toBe(0);
  });
});

describe('tokens', () => {
  it('shares one token request among concurrent callers', async () => {
    const { client, statuses } = testClient();
    const tokens = await Promise.all([1, 2, 3, 4, 5].map(() => client.getToken()));
    expect(new Set(tokens).size).toBe(1);
    await Promise.all([1, 2, 3].map(() => client.listContracts(ACME.organisation)));
    expect(statuses('token')).toEqual([200]);
  });

  it('refreshes a short-lived token before it expires', async () => {
    await sim.admin.setSettings({ tokenLifetimeS: 2 });
    const { client, statuses } = testClient();
    const first = await client.getToken();
    await sleep(1100); // past half the lifetime: the margin is capped there for short-lived tokens
    await client.listContracts(ACME.organisation);
    expect(await client.getToken()).not.toBe(first);
    expect(statuses('token')).toEqual([200, 200]);
    expect(statuses('policies')).toEqual([200]);
  });

  it('on a 401 fetches a new token once and repeats the request', async () => {
    await sim.admin.setSettings({ tokenLifetimeS: 2 });
    // A negative margin keeps the token past its expiry, as a client whose clock runs behind would.
    const { client, statuses } = testClient({ tokenRefreshMarginS: -60 });
    await client.getToken();
    await sleep(2100);
    await expect(client.listContracts(ACME.organisation)).resolves.toEqual(expect.any(Array));
    expect(statuses('policies')).toEqual([401, 200]);
    expect(statuses('token')).toEqual([200, 200]);
  });

  it('fails as auth when the fresh token is refused too', async () => {
    const other = await spawnSimulator({ args: ['--items', '10'] });
    try {
      const { client, statuses } = testClient({ authUrl: other.url });
      const error = await failure(client.listContracts(ACME.organisation));
      expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
      expect(statuses('policies')).toEqual([401, 401]);
      expect(statuses('token')).toEqual([200, 200]);
      expectNoSecrets(error, [ACME.clientSecret, await client.getToken()]);
    } finally {
      await other.stop();
    }
  });

  it('fails as auth on a wrong client secret, without retrying', async () => {
    const { client, statuses } = testClient({ clientSecret: 'wrong-secret-3141' });
    const error = await failure(client.getToken());
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false, endpoint: 'token' });
    expect(statuses('token')).toEqual([401]);
  });
});

describe('secrets', () => {
  it('never puts the client secret or a token into an error, whatever its kind', async () => {
    const { client } = testClient({ requestTimeoutMs: 300, retry: false });
    const token = await client.getToken();
    const getItem = () => client.getItem(item.collection, item.id);
    const provoked: [secret: string, error: DataCosmosError][] = [];
    const provoke = async (spec: FaultSpec | null, endpoint: EndpointName, call: () => Promise<unknown>) => {
      if (spec) await fault(endpoint, spec);
      provoked.push([ACME.clientSecret, await failure(call())]);
      await sim.admin.setFaults({ endpoints: {} });
    };
    await provoke(null, 'stac_item', () => client.getItem(item.collection, 'NOPE'));
    await provoke({ rateLimit429: 1 }, 'stac_item', getItem);
    await provoke({ reset: 1 }, 'stac_item', getItem);
    await provoke({ hang: 1 }, 'stac_item', getItem);
    await provoke({ malformed: 1 }, 'stac_item', getItem);
    await provoke({ lostReply: 1 }, 'order_create', () => client.createOrder(createRequest()));
    const wrongSecret = 'wrong-secret-2718';
    provoked.push([wrongSecret, await failure(testClient({ clientSecret: wrongSecret }).client.getToken())]);

    const kinds = new Set<DataCosmosErrorKind>(provoked.map(([, error]) => error.kind));
    expect([...kinds].sort()).toEqual([
      'auth',
      'http',
      'network',
      'outcome_unknown',
      'rate_limited',
      'schema',
      'timeout',
    ]);
    for (const [secret, error] of provoked) expectNoSecrets(error, [secret, token]);
  });
});
