/**
 * `dcp probe` asks the configured API, read-only, for every endpoint a purchase uses and says how each answered;
 * `--save` keeps the raw replies, secrets redacted, as test fixtures.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../local/ports';
import { simulatorSettings } from '../harness/simulator-settings';
import { runDcp } from './support/dcp';
import { orderCatalogItems } from './support/orders';
import { ACME, getToken, type InProcessSimulator } from '../harness/simulator';
import { oneSimulatorPerFile } from './support/one-simulator';

let sim: InProcessSimulator;
oneSimulatorPerFile({ items: 50 }, (ready) => (sim = ready.sim));

function settings(url = sim.url, secret = ACME.clientSecret) {
  return simulatorSettings({
    simulatorUrl: url,
    temporalAddress: '127.0.0.1:1',
    taskQueue: 'unused',
    account: { clientId: ACME.clientId, clientSecret: secret, organisationId: ACME.organisation },
  });
}

interface Row {
  endpoint: string;
  status: number | string;
  ok: boolean;
  detail: string;
}

async function probe(args: string[] = [], s = settings()) {
  const run = await runDcp(s, ['probe', '--json', ...args]);
  return { ...run, report: run.stdout ? (JSON.parse(run.stdout) as { usable: boolean; endpoints: Row[] }) : null };
}

const row = (rows: Row[], endpoint: string) => rows.find((r) => r.endpoint === endpoint);

test('the full API: every endpoint answers and reads; nothing is bought', async () => {
  const before = (await sim.admin.orders()).length;
  const { code, report } = await probe();
  expect(code).toBe(0);
  expect(report?.usable).toBe(true);
  for (const endpoint of [
    'token',
    'policies',
    'stac_collections',
    'stac_search',
    'price',
    'price_batch',
    'order_list',
  ]) {
    expect(row(report!.endpoints, endpoint)).toMatchObject({ status: 200, ok: true });
  }
  expect(row(report!.endpoints, 'policies')?.detail).toMatch(/default contract 5001 \(EUR\)/);
  expect(row(report!.endpoints, 'order_get')?.status).toMatch(/^skipped: give --order/);
  expect((await sim.admin.orders()).length).toBe(before);
});

test('--contract prices under the named contract, by the rule a purchase uses: one closed for orders or inactive is refused', async () => {
  const volume = await probe(['--contract', '5002']);
  expect(volume.code).toBe(0);
  expect(row(volume.report!.endpoints, 'policies')?.detail).toMatch(/^reads; contract 5002 \(EUR\)/);
  expect(row(volume.report!.endpoints, 'price')).toMatchObject({ status: 200, ok: true });

  const closed = await probe(['--contract', '5004']);
  expect(closed.code).toBe(6); // the API cannot be used for a purchase as set
  expect(row(closed.report!.endpoints, 'policies')?.detail).toContain(
    'no contract a purchase could use: contract 5004 accepts orders only from 2023-01-01T00:00:00Z',
  );
  expect(row(closed.report!.endpoints, 'price')?.status).toMatch(/^skipped: no contract/);

  // Listed as a purchase lists them, inactive ones included: a suspended contract is named as such.
  const suspended = await probe(['--contract', '5003']);
  expect(suspended.code).toBe(6);
  expect(row(suspended.report!.endpoints, 'policies')?.detail).toContain(
    'no contract a purchase could use: contract 5003 is not active',
  );
});

test('the documented API: no v1 batch price and no order list, still usable; an order is read with --order; replies saved without secrets', async () => {
  await sim.admin.setSettings({ apiVariant: 'documented' });
  try {
    const order = await orderCatalogItems(sim.url, await getToken(sim.url, ACME), ACME, 1);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-probe-'));
    const { code, report, stderr } = await probe(['--save', dir, '--order', order.id]);
    expect(code).toBe(0);
    expect(row(report!.endpoints, 'order_get')).toMatchObject({ status: 200, ok: true, detail: 'reads' });
    expect(row(report!.endpoints, 'price_batch')).toMatchObject({ status: 404, ok: false, detail: 'not served here' });
    expect(row(report!.endpoints, 'order_list')).toMatchObject({ status: 404, ok: false });
    expect(row(report!.endpoints, 'price')).toMatchObject({ status: 200, ok: true });
    expect(stderr).toMatch(/^saved \d+ replies in /m);
    const files = fs.readdirSync(dir).sort();
    expect(files[0]).toBe('01-token.json');
    const token = await getToken(sim.url, ACME);
    for (const file of files) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      expect(text).not.toContain(ACME.clientSecret);
      expect(text).not.toContain(token.slice(-20));
    }
    expect(JSON.parse(fs.readFileSync(path.join(dir, files[0]), 'utf8')).reply.access_token).toBe('[redacted]');
  } finally {
    await sim.admin.setSettings({ apiVariant: 'full' });
  }
});

test('bad credentials: exit 6 naming what does not answer; an unreachable API: exit 7', async () => {
  const refused = await probe([], settings(sim.url, 'wrong-secret'));
  expect(refused.code).toBe(6);
  expect(refused.stderr.trim()).toBe('dcp: the API does not answer everything a purchase needs: token');
  expect(row(refused.report!.endpoints, 'token')).toMatchObject({ status: 401, ok: false });

  // A token endpoint that quotes the secret it was sent in its refusal: the report never shows the secret.
  const echoing = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'invalid_client', error_description: `unknown client: ${body}` }));
    });
  });
  await new Promise<void>((resolve) => echoing.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = echoing.address() as AddressInfo;
    const quoted = await probe([], settings(`http://127.0.0.1:${port}`, 'echoed-secret-4711'));
    expect(quoted.code).toBe(6);
    expect(row(quoted.report!.endpoints, 'token')).toMatchObject({
      status: 401,
      detail: expect.stringContaining('[redacted]'),
    });
    expect(`${quoted.stdout}${quoted.stderr}`).not.toContain('echoed-secret-4711');
  } finally {
    echoing.close();
  }

  const unreachable = await probe([], settings(`http://127.0.0.1:${await freePort()}`));
  expect(unreachable.code).toBe(7);
  expect(unreachable.stderr.trim()).toMatch(/^dcp: the token endpoint of http:\/\/127\.0\.0\.1:\d+ cannot be reached$/);
});
