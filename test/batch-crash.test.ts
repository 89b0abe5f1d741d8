/**
 * Batch crashes: the worker process killed with SIGKILL mid-batch (orders being created, purchases in flight)
 * and mid-download. After a restart the outcome is the same as without the crash: every affordable item bought
 * exactly once (simulator audit), and every file complete and verified against its catalog checksum.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { progressQuery } from '../src/shared/batch-messages';
import type { BatchProgress } from '../src/shared/batch-types';
import { assetsOf, multihash } from './support/assets';
import { runBatch } from './support/batch-env';
import { kill9 } from './support/kill';
import { PurchaseEnv } from './support/purchase-env';
import { holdRequests } from './support/simulator';
import { until } from './support/until';

let env: PurchaseEnv;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  env = await PurchaseEnv.start({ worker: false });
}, 60_000);

afterEach(async () => {
  await env.admin.setFaults({});
  if (worker) await kill9(worker);
});

afterAll(async () => {
  await env?.close();
});

/** Short timeouts so a killed worker's activities are retried on the next one within seconds. */
const QUICK = { activityTimeoutMs: 3_000 };

/** Every item is in exactly one of the organisation's orders, and that order is PAID. */
async function expectBoughtOnce(items: Array<{ collection: string; item: string }>): Promise<void> {
  const orders = await env.admin.orders(env.account.organisation);
  for (const line of items) {
    const holding = orders.filter((o) => o.items.some((i) => i.collection === line.collection && i.item === line.item));
    expect(holding.map((o) => o.status)).toEqual(['PAID']);
  }
}

test('worker killed mid-batch while orders are being created: after a restart every item is bought once', async () => {
  const items = await env.items(6);
  worker = env.spawnWorkerProcess();
  const batch = await runBatch(env, { items, budget: '100000', concurrency: 2, ...QUICK });
  await until<BatchProgress>(
    'a purchase done',
    () => batch.query(progressQuery),
    (p) => p.counts.PAID >= 1,
  );
  await holdRequests(env.admin, 'order_create'); // the next orders are being created
  await kill9(worker);
  await env.admin.setFaults({});
  worker = env.spawnWorkerProcess();

  const result = await batch.result();
  expect(result).toMatchObject({ end: 'COMPLETED', examined: 6 });
  expect(result.counts.PAID).toBe(6);
  await expectBoughtOnce(items);
}, 60_000);

test('worker killed mid-download: after a restart every file is complete and verified, nothing bought twice', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-batch-crash-'));
  const items = await env.items(2);
  const assets = await Promise.all(items.map((item) => assetsOf(env, item)));
  const targets = items.flatMap((item, i) =>
    assets[i].map((a) => ({ path: path.join(dir, item.collection, item.item, a.file), checksum: a.checksum })),
  );
  worker = env.spawnWorkerProcess();
  const batch = await runBatch(env, {
    items,
    budget: '100000',
    concurrency: 2,
    deliver: { dir, heartbeatTimeoutMs: 2_000 },
    ...QUICK,
  });
  // Storage holds the downloads, so the kill lands while files are being fetched.
  await holdRequests(env.admin, 'storage');
  await kill9(worker);
  expect(targets.filter((t) => fs.existsSync(t.path)).length).toBeLessThan(targets.length); // killed mid-download
  await env.admin.setFaults({});
  worker = env.spawnWorkerProcess();

  const result = await batch.result();
  expect(result.counts.PAID).toBe(2);
  expect(result.rows.map((row) => row[6])).toEqual(['DELIVERED', 'DELIVERED']);
  for (const target of targets) expect(multihash(target.path)).toBe(target.checksum);
  for (const item of items) {
    expect(fs.readdirSync(path.join(dir, item.collection, item.item)).filter((f) => f.endsWith('.part'))).toEqual([]);
  }
  await expectBoughtOnce(items);
}, 60_000);
