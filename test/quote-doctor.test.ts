/**
 * `dcp quote` and `dcp doctor` against the simulator and a worker, through the built program. A quote prices
 * exactly what the purchase then pays (whole scenes and a sub-area cut to an area), creates and claims nothing, and
 * fails in one line; doctor says ok for a working setup and names the failing row, with its exit code, otherwise.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Polygon } from 'geojson';
import type { QuoteReport } from '../src/cli/quote';
import type { DoctorCheck } from '../src/cli/doctor';
import type { PurchaseResult } from '../src/shared/purchase-types';
import { SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { until } from '../harness/until';
import { runDcp, type DcpRun } from './support/dcp';
import { onePurchaseEnvPerFile, type PurchaseEnv } from './support/purchase-env';
import { testTemporalAddress } from './support/temporal';
import { call } from '../harness/simulator';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-quote-'));

const dcp = (args: string[], extraEnv: Record<string, string> = {}) =>
  runDcp({ ...env.settings }, args, 60_000, extraEnv);

async function footprint(collection: string, item: string): Promise<Polygon> {
  const reply = await call(env.sim.url, 'GET', `/api/data/v0/stac/collections/${collection}/items/${item}`, {
    token: await env.token(),
  });
  return reply.body.geometry as Polygon;
}

/** An area over the south-west quarter of the scene's bounding box. */
function quarterOf(scene: Polygon): string {
  const ring = scene.coordinates[0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const [w, s] = [Math.min(...xs), Math.min(...ys)];
  const [e, n] = [(w + Math.max(...xs)) / 2, (s + Math.max(...ys)) / 2];
  const file = path.join(dir, `aoi-${Math.random().toString(36).slice(2)}.geojson`);
  const box = [
    [w, s],
    [e, s],
    [e, n],
    [w, n],
    [w, s],
  ];
  fs.writeFileSync(file, JSON.stringify({ type: 'Polygon', coordinates: [box] }));
  return file;
}

test('a quote prices what the purchase then pays, and creates and claims nothing', async () => {
  const items = await env.items(2);
  const refs = items.flatMap((i) => ['--item', `${i.collection}/${i.item}`]);
  const ordersBefore = (await env.admin.orders(env.account.organisation)).length;

  const quoted = await dcp(['quote', ...refs, '--json']);
  expect(quoted).toMatchObject({ code: 0, stderr: '' });
  const report = JSON.parse(quoted.stdout) as QuoteReport;
  expect(report.contract).toMatchObject({ contractId: env.account.contract, currency: 'EUR' });
  expect(report.quote.lineItems.map((l) => l.item)).toEqual(items.map((i) => i.item));
  expect((await env.admin.orders(env.account.organisation)).length).toBe(ordersBefore);
  const claims = await dcp(['claims', ...items.flatMap((i) => ['--item', `${i.collection}/${i.item}`]), '--json']);
  expect(JSON.parse(claims.stdout)).toEqual([]);

  const text = await dcp(['quote', ...refs]);
  expect(text.stdout).toContain(`total: ${report.quote.total} EUR`);

  const bought = await dcp(['buy', ...refs, '--max-total', report.quote.total, '--json']);
  expect(bought.code).toBe(0);
  const result = JSON.parse(bought.stdout) as PurchaseResult;
  expect(result).toMatchObject({ end: 'COMPLETED', total: report.quote.total });
  expect(result.lineItems.map((l) => 'price' in l && l.price)).toEqual(report.quote.lineItems.map((l) => l.price));
});

test('with --aoi the quote and the purchase are of the part of the scene inside the area', async () => {
  const [item] = await env.items(1);
  const scene = await footprint(item.collection, item.item);
  const aoi = quarterOf(scene);
  const ref = `${item.collection}/${item.item}`;
  const whole = JSON.parse((await dcp(['quote', '--item', ref, '--json'])).stdout) as QuoteReport;
  const part = JSON.parse((await dcp(['quote', '--item', ref, '--aoi', aoi, '--json'])).stdout) as QuoteReport;
  expect(part.quote.lineItems[0].geometry).toMatchObject({ type: 'Polygon' });
  expect(Number(part.quote.total)).toBeLessThan(Number(whole.quote.total) / 2);
  expect(part.areasKm2[ref]).toBeGreaterThan(0);

  const bought = await dcp(['buy', '--item', ref, '--aoi', aoi, '--json']);
  expect(bought.code).toBe(0);
  const result = JSON.parse(bought.stdout) as PurchaseResult;
  expect(result.total).toBe(part.quote.total);
  const [order] = (await env.admin.orders(env.account.organisation)).filter((o) => o.id === result.orderId);
  expect(order.items).toEqual([
    {
      collection: item.collection,
      item: item.item,
      price: part.quote.total,
      geometry: part.quote.lineItems[0].geometry,
      project_id: result.purchaseId,
    },
  ]);
});

test('quote refusals are one line: an unknown item (6), an item outside the area (2), a stray --project-id (2)', async () => {
  const [item] = await env.items(1);
  const unknown = await dcp(['quote', '--item', 'menut-l1c-cogs/NO_SUCH_ITEM']);
  expect(unknown).toMatchObject({ code: 6, stdout: '', stderr: 'dcp: unknown item menut-l1c-cogs/NO_SUCH_ITEM\n' });

  const far = path.join(dir, 'far.geojson');
  fs.writeFileSync(
    far,
    JSON.stringify({
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [0.1, 0],
          [0.1, 0.1],
          [0, 0.1],
          [0, 0],
        ],
      ],
    }),
  );
  const outside = await dcp(['quote', '--item', `${item.collection}/${item.item}`, '--aoi', far]);
  expect(outside).toMatchObject({
    code: 2,
    stderr: `dcp: ${item.collection}/${item.item} does not overlap the area of interest\n`,
  });
  const stray = await dcp(['buy', '--item', `${item.collection}/${item.item}`, '--project-id', 'p1']);
  expect(stray).toMatchObject({ code: 2, stderr: 'dcp: --project-id goes with --aoi\n' });
});

test('doctor: every row ok with a worker; otherwise the failing row names the problem, with its exit code', async () => {
  const healthy = await dcp(['doctor', '--json']);
  expect(healthy.code).toBe(0);
  const checks = (JSON.parse(healthy.stdout) as { ok: boolean; checks: DoctorCheck[] }).checks;
  expect(checks.filter((c) => !c.ok)).toEqual([]);
  expect(checks.map((c) => c.check)).toEqual(
    expect.arrayContaining([
      'settings',
      'token',
      'contract',
      'temporal',
      'search attributes',
      'worker',
      'api stac_search',
    ]),
  );

  const badSecret = await dcp(['doctor'], { DATACOSMOS_CLIENT_SECRET: 'wrong-secret' });
  expect(badSecret.code).toBe(6);
  expect(badSecret.stderr).toMatch(/^dcp: token: .*; check DATACOSMOS_CLIENT_ID, DATACOSMOS_CLIENT_SECRET/);
  expect(badSecret.stderr.split('\n')).toHaveLength(2);

  const noContract = await dcp(['doctor', '--contract', '999999']);
  expect(noContract.code).toBe(6);
  expect(noContract.stderr).toMatch(/^dcp: contract: contract 999999 does not belong to organisation 1001/);

  const otherQueue = await dcp(['doctor'], { TEMPORAL_TASK_QUEUE: 'nobody-polls-this' });
  expect(otherQueue.code).toBe(7);
  expect(otherQueue.stderr).toMatch(/^dcp: worker: no worker polls nobody-polls-this\/1001@127\.0\.0\.1:\d+,/);

  const noTemporal = await dcp(['doctor'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
  expect(noTemporal.code).toBe(7);
  expect(noTemporal.stderr).toMatch(/^dcp: temporal: cannot reach 127\.0\.0\.1:1/);

  const noNamespace = await dcp(['doctor'], { TEMPORAL_NAMESPACE: 'no-such-namespace' });
  expect(noNamespace.code).toBe(7);
  expect(noNamespace.stderr).toMatch(/^dcp: temporal: .*namespace no-such-namespace/);
});

test('doctor: a namespace without the search attributes fails on them; the commands it prints register them, and then it passes', async () => {
  const namespace = `doctor-${randomUUID().slice(0, 8)}`;
  const cliPath = process.env.TEMPORAL_TEST_CLI_PATH as string;
  const temporal = (args: string[]) => promisify(execFile)(cliPath, [...args, '--address', testTemporalAddress()]);
  await temporal(['operator', 'namespace', 'create', '--namespace', namespace]);
  const doctor = () => dcp(['doctor', '--json'], { TEMPORAL_NAMESPACE: namespace });
  const row = (run: DcpRun) =>
    (JSON.parse(run.stdout) as { checks: DoctorCheck[] }).checks.find((c) => c.check === 'search attributes');
  // The frontend knows a new namespace once its namespace cache is refreshed.
  const before = await until('doctor to check the new namespace', doctor, (run) => row(run) !== undefined);
  expect(before.code).toBe(7);
  const missing = row(before) as DoctorCheck;
  expect(missing).toMatchObject({
    ok: false,
    detail: `missing on ${namespace}: ${Object.keys(SEARCH_ATTRIBUTES).join(', ')}`,
  });

  for (const command of (missing.fix as string).split('; ')) {
    const [program, ...args] = command.split(' ');
    expect(program).toBe('temporal');
    await temporal(args);
  }
  const after = await until('doctor to pass the search attributes', doctor, (run) => row(run)?.ok === true);
  expect(row(after)?.detail).toBe(`${Object.keys(SEARCH_ATTRIBUTES).length} registered and usable`);
});
