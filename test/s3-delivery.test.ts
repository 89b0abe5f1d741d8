/**
 * Delivery to a bucket on a local S3-compatible server (gofakes3): a batch delivers through a worker killed with
 * SIGKILL in the middle of multipart uploads (every object complete once and verified, the manifests there, no
 * upload left open), and a bucket that refuses writes fails the delivery with its reason (`dcp buy` exits 8)
 * while nothing is lost: once the bucket exists, `dcp redeliver` delivers it all.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { holdRequests } from '../harness/simulator';
import { until } from '../harness/until';
import type { ItemDelivery } from '../src/shared/delivery-types';
import { ExitCode } from '../src/shared/errors';
import { assetsOf } from './support/assets';
import { runBatch } from './support/batch-env';
import { runDcp } from './support/dcp';
import { kill9 } from './support/kill';
import { PurchaseEnv } from './support/purchase-env';
import { TestBucket } from './support/s3-bucket';

const BUCKET = 'deliveries';
/** Small parts, so the simulator's assets (2 KB to 200 KB) are uploaded in many. */
const PART = 1024;

let env: PurchaseEnv;
let bucket: TestBucket;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  env = await PurchaseEnv.start({ worker: false });
  bucket = await TestBucket.start(BUCKET);
}, 120_000);

afterEach(async () => {
  await env.admin.setFaults({});
  if (worker) await kill9(worker);
  worker = undefined;
});

afterAll(async () => {
  await bucket?.close();
  await env?.close();
});

/** Every object of these items under PREFIX/ORDER/COLLECTION/ITEM, checked against the catalog, and each order's manifest. */
async function expectDelivered(
  bucketName: string,
  prefix: string,
  lines: Array<{ collection: string; item: string; orderId: string }>,
): Promise<void> {
  const expected: string[] = [];
  for (const line of lines) {
    const manifest = await bucket.manifest(bucketName, `${prefix}/${line.orderId}/manifest.json`);
    for (const asset of await assetsOf(env, line)) {
      const key = `${prefix}/${line.orderId}/${line.collection}/${line.item}/${asset.file}`;
      expected.push(key);
      expect(await bucket.multihash(bucketName, key)).toBe(asset.checksum);
      expect(manifest.objects).toContainEqual({
        key,
        collection: line.collection,
        item: line.item,
        asset: asset.file,
        size: asset.size,
        sha256: asset.checksum.slice(4),
      });
    }
    expected.push(`${prefix}/${line.orderId}/manifest.json`);
  }
  expect(await bucket.keys(bucketName, `${prefix}/`)).toEqual([...new Set(expected)].sort());
  expect(await bucket.openUploads(bucketName)).toEqual([]);
}

test('worker killed mid-upload: after a restart every object is complete once and verified, manifests written, no upload left open', async () => {
  const prefix = `runs/${randomUUID()}`;
  const items = await env.items(2);
  worker = env.spawnWorkerProcess(bucket.workerEnv);
  // Each part is one range request; slowed down, the uploads are still going when the worker dies.
  await env.admin.setFaults({ seed: 3, endpoints: { storage: { latencyMs: 300 } } });
  const batch = await runBatch(env, {
    items,
    budget: '100000',
    concurrency: 2,
    deliver: { s3: { bucket: BUCKET, prefix, partSizeBytes: PART }, heartbeatTimeoutMs: 2_000 },
    activityTimeoutMs: 3_000,
  });
  // 8 parts take 2.4 s: by then a heartbeat (sent at most every 1.6 s) has recorded some of them.
  await until(
    'a multipart upload with 8 parts stored',
    () => bucket.openUploads(BUCKET),
    (open) => open.some((u) => u.parts >= 8),
    60_000,
  );
  await holdRequests(env.admin, 'storage'); // no part is read while the worker dies
  await kill9(worker);
  expect((await bucket.openUploads(BUCKET)).length).toBeGreaterThanOrEqual(1); // killed mid-upload
  const assets = (await Promise.all(items.map((item) => assetsOf(env, item)))).flat();
  const done = new Set((await bucket.keys(BUCKET, `${prefix}/`)).map((key) => key.split('/').pop()));
  const partsLeft = assets.filter((a) => !done.has(a.file)).reduce((n, a) => n + Math.ceil(a.size / PART), 0);
  await env.admin.clearStats();
  await env.admin.setFaults({});
  worker = env.spawnWorkerProcess(bucket.workerEnv);

  const result = await batch.result();
  expect(result.counts.PAID).toBe(2);
  const rows = await env.batchItems(result);
  expect(rows.map((row) => row.delivery)).toEqual(['DELIVERED', 'DELIVERED']);
  // Resumed: the parts the killed worker recorded were kept, not read again (each part is one storage request).
  const partsRead = (await env.admin.stats()).endpoints.storage?.requests ?? 0;
  expect(partsRead).toBeLessThan(partsLeft);
  await expectDelivered(
    BUCKET,
    prefix,
    rows.map((row) => ({ collection: row.collection, item: row.item, orderId: row.orderId as string })),
  );
}, 120_000);

test('a bucket that refuses writes: the item fails with the reason and dcp exits 8; dcp redeliver delivers it once the bucket exists', async () => {
  const missing = `late-${randomUUID().slice(0, 8)}`;
  const [item] = await env.items(1);
  worker = env.spawnWorkerProcess(bucket.workerEnv);
  const purchaseId = `p-${randomUUID()}`;
  const bought = await runDcp(env.settings, [
    'buy',
    '--item',
    `${item.collection}/${item.item}`,
    '--purchase-id',
    purchaseId,
    '--deliver',
    `s3://${missing}/in`,
    '--json',
  ]);
  expect(bought.code).toBe(ExitCode.ITEMS_FAILED);
  const result = JSON.parse(bought.stdout) as { end: string; orderId: string; delivery: ItemDelivery[] };
  expect(result.end).toBe('COMPLETED');
  expect(result.delivery).toEqual([
    expect.objectContaining({ state: 'FAILED', reason: expect.stringMatching(/NoSuchBucket/) }),
  ]);
  expect(bought.stderr).toMatch(new RegExp(`delivery of ${item.collection}/${item.item} failed: s3://${missing}/in/`));
  expect(bought.stderr.trim().split('\n').pop()).toBe(
    `dcp: purchase ${purchaseId} ended COMPLETED, but 1 item(s) were not delivered`,
  );

  await bucket.createBucket(missing);
  const again = await runDcp(env.settings, ['redeliver', purchaseId]);
  expect(again.stderr).toBe(`redelivering 1 item(s) of ${purchaseId}\n`);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain(`${item.collection}/${item.item}  DELIVERED`);
  await expectDelivered(missing, 'in', [{ ...item, orderId: result.orderId }]);

  // Delivered already: a second redelivery skips every object and reports it delivered.
  const json = await runDcp(env.settings, ['redeliver', purchaseId, '--json']);
  expect(json.code).toBe(0);
  expect((JSON.parse(json.stdout) as ItemDelivery[]).map((d) => d.state)).toEqual(['DELIVERED']);
}, 120_000);
