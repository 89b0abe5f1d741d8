import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSettings, loadWebhookSettings, settingsEnvironment } from '../../src/config/settings';
import { temporalConnectionOptions } from '../../src/config/temporal-connection';
import { writeStackFile } from '../../src/config/stack-file';

const production = {
  DATACOSMOS_CLIENT_ID: 'id',
  DATACOSMOS_CLIENT_SECRET: 'secret',
  DATACOSMOS_ORGANISATION_ID: '42',
};

function withStackFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-config-'));
  writeStackFile(dir, {
    version: 1,
    pid: process.pid,
    startedAt: new Date().toISOString(),
    temporal: { address: '127.0.0.1:17233', namespace: 'default', uiUrl: 'http://127.0.0.1:18233' },
    simulator: { url: 'http://127.0.0.1:18787' },
    datacosmos: {
      apiUrl: 'http://127.0.0.1:18787',
      authUrl: 'http://127.0.0.1:18787',
      clientId: 'acme-pipeline',
      clientSecret: 'acme-secret-1001',
      organisationId: 1001,
    },
    worker: { running: true },
  });
  return dir;
}

describe('configuration', () => {
  test('production settings come from the environment with defaults', () => {
    const s = loadSettings(production, '/nowhere');
    expect(s.source).toBe('environment');
    expect(s.datacosmos).toMatchObject({
      apiUrl: 'https://app.open-cosmos.com',
      organisationId: 42,
      requestTimeoutMs: 30_000,
      maxRequestsPerSecond: 20,
      fleetMaxRequestsPerSecond: undefined,
    });
    expect(
      loadSettings({ ...production, DATACOSMOS_FLEET_MAX_REQUESTS_PER_SECOND: '12.5' }, '/').datacosmos,
    ).toMatchObject({ fleetMaxRequestsPerSecond: 12.5 });
    expect(s.temporal).toMatchObject({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueueBase: 'datacosmos-purchase',
      taskQueue: 'datacosmos-purchase/42@app.open-cosmos.com',
    });
    expect(s.worker).toMatchObject({ maxCachedWorkflows: 250, stickyTimeoutMs: 10_000 });
    expect(loadSettings({ ...production, WORKER_STICKY_TIMEOUT_MS: '2000' }, '/').worker.stickyTimeoutMs).toBe(2_000);
  });

  test('the task queue names the target, within the length the server keeps', () => {
    const local = loadSettings({ ...production, DATACOSMOS_API_URL: 'http://127.0.0.1:8787/' }, '/');
    expect(local.temporal.taskQueue).toBe('datacosmos-purchase/42@127.0.0.1:8787');
    expect(() => loadSettings({ ...production, TEMPORAL_TASK_QUEUE: 'a/b' }, '/')).toThrow(
      'TEMPORAL_TASK_QUEUE must be 1 to 100 letters, digits, ".", "_" or "-"',
    );
    const longPath = `https://gw.example.com/${'p'.repeat(200)}`;
    expect(() => loadSettings({ ...production, DATACOSMOS_API_URL: longPath }, '/')).toThrow(
      /the task queue of this target, .*, is longer than 200 characters: shorten TEMPORAL_TASK_QUEUE/,
    );
  });

  test('the API shape: pricing endpoint and the assumed paths, overridable and checked', () => {
    expect(loadSettings(production, '/').datacosmos).toMatchObject({ pricing: 'auto', paths: {} });
    const moved = loadSettings(
      {
        ...production,
        DATACOSMOS_PRICING: 'v0',
        DATACOSMOS_ORDER_GET_PATH: '/api/data/v1/orders/{order_id}',
        DATACOSMOS_ORDER_CHECKOUT_PATH: '/api/data/v1/orders/{order_id}/pay',
        DATACOSMOS_ORDER_LIST_PATH: '/api/data/v1/orders',
      },
      '/',
    );
    expect(moved.datacosmos).toMatchObject({
      pricing: 'v0',
      paths: {
        orderGet: '/api/data/v1/orders/{order_id}',
        orderCheckout: '/api/data/v1/orders/{order_id}/pay',
        orderList: '/api/data/v1/orders',
      },
    });
    // The environment a worker is given reproduces them.
    expect(loadSettings(settingsEnvironment(moved), '/').datacosmos).toMatchObject(moved.datacosmos);
    expect(() =>
      loadSettings(
        {
          ...production,
          DATACOSMOS_PRICING: 'v2',
          DATACOSMOS_ORDER_GET_PATH: '/api/orders',
          DATACOSMOS_ORDER_LIST_PATH: 'https://elsewhere/orders',
        },
        '/',
      ),
    ).toThrow(
      'invalid configuration: DATACOSMOS_PRICING must be one of auto, v1-batch, v0; ' +
        'DATACOSMOS_ORDER_GET_PATH must contain {order_id} where the order id goes; ' +
        'DATACOSMOS_ORDER_LIST_PATH must be a path such as /api/data/v0/order/orders',
    );
  });

  test('each bad variable is named', () => {
    expect(() => loadSettings({ ...production, DATACOSMOS_ORGANISATION_ID: 'acme' }, '/')).toThrow(
      'DATACOSMOS_ORGANISATION_ID must be a positive whole number',
    );
    expect(() => loadSettings({ ...production, DATACOSMOS_API_URL: 'ftp://x' }, '/')).toThrow('DATACOSMOS_API_URL');
    expect(() => loadSettings({ ...production, TEMPORAL_ADDRESS: 'localhost' }, '/')).toThrow(
      'TEMPORAL_ADDRESS must be HOST:PORT',
    );
    expect(() => loadSettings({ ...production, WORKER_MAX_CONCURRENT_ACTIVITIES: '0' }, '/')).toThrow(
      'WORKER_MAX_CONCURRENT_ACTIVITIES',
    );
    expect(() => loadSettings({ ...production, DATACOSMOS_FLEET_MAX_REQUESTS_PER_SECOND: 'fast' }, '/')).toThrow(
      'DATACOSMOS_FLEET_MAX_REQUESTS_PER_SECOND must be a number of requests per second',
    );
  });

  test("NOTIFY_URL is posted to as given, its trailing slash kept; the API's base URL loses it", () => {
    const s = loadSettings(
      { ...production, NOTIFY_URL: 'https://hooks.example/dcp/', NOTIFY_SECRET: 'n'.repeat(32) },
      '/',
    );
    expect(s.worker.notifyUrl).toBe('https://hooks.example/dcp/');
    expect(loadSettings({ ...production, DATACOSMOS_API_URL: 'https://api.example/' }, '/').datacosmos.apiUrl).toBe(
      'https://api.example',
    );
  });

  test("the compose example's variables over the image's keep the replay check on", () => {
    // Docker lays an env file over the image's ENV, an empty value included, and an empty variable is unset here.
    const image = Object.fromEntries(
      [...fs.readFileSync(path.join(__dirname, '../../Dockerfile'), 'utf8').matchAll(/^ENV (.+)$/gm)]
        .flatMap((m) => m[1].split(/\s+/))
        .map((pair) => pair.split('=') as [string, string]),
    );
    const example = Object.fromEntries(
      fs
        .readFileSync(path.join(__dirname, '../../deploy/dcp.env.example'), 'utf8')
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(image.WORKER_REPLAY_CHECK).toBe('20');
    expect(loadSettings({ ...image, ...example }, '/').worker.replayCheck).toBe(20);
  });

  test('the local stack file is used only when no production setting is present', () => {
    const dir = withStackFile();
    const local = loadSettings({ DCP_DATA_DIR: dir }, '/');
    expect(local.source).toBe('local-stack');
    expect(local.datacosmos.apiUrl).toBe('http://127.0.0.1:18787');
    expect(local.temporal.address).toBe('127.0.0.1:17233');
    // A single production variable switches to the environment: missing ones are errors, not the simulator.
    expect(() => loadSettings({ DCP_DATA_DIR: dir, DATACOSMOS_CLIENT_ID: 'id' }, '/')).toThrow(
      /DATACOSMOS_CLIENT_SECRET is required.*DATACOSMOS_ORGANISATION_ID/,
    );
  });

  test('no settings at all says how to get them', () => {
    expect(() => loadSettings({ DCP_DATA_DIR: '/definitely/missing' }, '/')).toThrow(
      'no DataCosmos settings: set DATACOSMOS_CLIENT_ID, DATACOSMOS_CLIENT_SECRET and DATACOSMOS_ORGANISATION_ID, or start the local stack with `dcp dev`',
    );
  });
});

describe('Temporal Cloud and TLS settings', () => {
  const pem = (name: string, text: string) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-tls-')), name);
    fs.writeFileSync(file, text);
    return file;
  };
  const cert = pem('client.pem', 'CERT');
  const key = pem('client.key', 'KEY');
  const ca = pem('ca.pem', 'CA');

  test('plaintext unless something asks for TLS', () => {
    const s = loadSettings(production, '/');
    expect(s.temporal.tls).toBeUndefined();
    expect(temporalConnectionOptions(s.temporal)).toEqual({ address: '127.0.0.1:7233' });
    expect(loadSettings({ ...production, TEMPORAL_TLS: 'true' }, '/').temporal.tls).toEqual({});
    // A server name is for a certificate: without TLS it is refused, naming it (dropped, the plaintext connection
    // failed later as "cannot reach Temporal").
    expect(() => loadSettings({ ...production, TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }, '/')).toThrow(
      'TEMPORAL_TLS_SERVER_NAME applies only with TLS',
    );
    const named = loadSettings(
      { ...production, TEMPORAL_TLS: 'true', TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' },
      '/',
    );
    expect(named.temporal.tls).toEqual({ serverName: 'temporal.internal' });
  });

  test('an API key turns TLS on and is passed to the connection', () => {
    const s = loadSettings(
      { ...production, TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: 'key-1' },
      '/',
    );
    expect(s.temporal).toMatchObject({ tls: {}, apiKey: 'key-1' });
    expect(temporalConnectionOptions(s.temporal)).toEqual({
      address: 'ns.acct.tmprl.cloud:7233',
      tls: {},
      apiKey: 'key-1',
    });
  });

  test('mTLS reads the certificate, key and CA files; the environment round-trips', () => {
    const s = loadSettings(
      {
        ...production,
        TEMPORAL_TLS_CERT: cert,
        TEMPORAL_TLS_KEY: key,
        TEMPORAL_TLS_CA: ca,
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
      },
      '/',
    );
    expect(temporalConnectionOptions(s.temporal).tls).toEqual({
      serverNameOverride: 'temporal.internal',
      serverRootCACertificate: Buffer.from('CA'),
      clientCertPair: { crt: Buffer.from('CERT'), key: Buffer.from('KEY') },
    });
    expect(loadSettings(settingsEnvironment(s), '/').temporal).toEqual(s.temporal);
  });

  test('a certificate without its key, a missing file, a bad flag or TLS turned off under a key are each named', () => {
    expect(() => loadSettings({ ...production, TEMPORAL_TLS_CERT: cert }, '/')).toThrow(
      'invalid configuration: TEMPORAL_TLS_KEY is required with TEMPORAL_TLS_CERT',
    );
    expect(() => loadSettings({ ...production, TEMPORAL_TLS_KEY: key }, '/')).toThrow(
      'TEMPORAL_TLS_CERT is required with TEMPORAL_TLS_KEY',
    );
    expect(() =>
      loadSettings({ ...production, TEMPORAL_TLS_CERT: '/no/such.pem', TEMPORAL_TLS_KEY: key }, '/'),
    ).toThrow('TEMPORAL_TLS_CERT must be a readable file');
    expect(() => loadSettings({ ...production, TEMPORAL_TLS: 'yes' }, '/')).toThrow(
      'TEMPORAL_TLS must be true or false',
    );
    expect(() => loadSettings({ ...production, TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k' }, '/')).toThrow(
      'TEMPORAL_TLS cannot be false with TEMPORAL_API_KEY',
    );
  });

  test('a Temporal Cloud variable alone means production settings: never the local stack', () => {
    expect(() => loadSettings({ TEMPORAL_API_KEY: 'k', DCP_DATA_DIR: '/definitely/missing' }, '/')).toThrow(
      /DATACOSMOS_CLIENT_ID is required/,
    );
  });

  test('the API key never appears in a configuration error', () => {
    expect(() =>
      loadSettings({ ...production, TEMPORAL_API_KEY: 'super-secret-key', TEMPORAL_TLS: 'false' }, '/'),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('super-secret-key') }));
  });
});

describe('webhook settings', () => {
  test('the secret is required and long enough; the tolerance defaults to 300 s', () => {
    expect(loadWebhookSettings({ DCP_WEBHOOK_SECRET: 'whsec_0123456789abcdef' })).toEqual({
      secret: 'whsec_0123456789abcdef',
      toleranceS: 300,
    });
    expect(() => loadWebhookSettings({})).toThrow('invalid configuration: DCP_WEBHOOK_SECRET is required');
    expect(() => loadWebhookSettings({ DCP_WEBHOOK_SECRET: 'short' })).toThrow(
      'DCP_WEBHOOK_SECRET must be at least 16 characters',
    );
    expect(() =>
      loadWebhookSettings({ DCP_WEBHOOK_SECRET: 'whsec_0123456789abcdef', DCP_WEBHOOK_TOLERANCE_S: '0' }),
    ).toThrow('DCP_WEBHOOK_TOLERANCE_S');
  });
});
