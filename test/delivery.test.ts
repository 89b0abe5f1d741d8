/**
 * Delivery after PAID: every asset lands verified (multihash sha256) and atomically; a partial file is
 * resumed with HTTP Range, a partial file with bad bytes is detected and downloaded again, a verified file is
 * skipped, and a download that stays corrupted fails that item clearly while the purchase stays COMPLETED.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assetsOf as assetsOfItem, multihash } from './support/assets';
import { onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));

const assetsOf = (item: { collection: string; item: string }) => assetsOfItem(env, item);

async function bytesOf(href: string): Promise<Buffer> {
  const reply = await fetch(href, { headers: { authorization: `Bearer ${await env.token()}` } });
  expect(reply.status).toBe(200);
  return Buffer.from(await reply.arrayBuffer());
}

test('partial, corrupted and finished files: resumed, replaced and skipped; every file verified in place', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-deliver-'));
  const [item] = await env.items(1);
  expect((await (await env.buy({ items: [item] })).result()).end).toBe('COMPLETED'); // paid: downloads are allowed
  const assets = await assetsOf(item);
  expect(assets.length).toBeGreaterThanOrEqual(3);
  const itemDir = path.join(dir, item.collection, item.item);
  fs.mkdirSync(itemDir, { recursive: true });
  const [resumed, corrupted, finished] = assets;
  const resumedBytes = await bytesOf(resumed.href);
  fs.writeFileSync(
    path.join(itemDir, `${resumed.file}.part`),
    resumedBytes.subarray(0, Math.floor(resumedBytes.length / 2)),
  );
  fs.writeFileSync(path.join(itemDir, `${corrupted.file}.part`), Buffer.alloc(Math.floor(corrupted.size / 2), 0x55));
  fs.writeFileSync(path.join(itemDir, finished.file), await bytesOf(finished.href));
  await env.admin.clearStats();

  // Owned already: nothing is bought again, and the files are delivered all the same.
  const result = await (await env.buy({ items: [item], deliver: { dir } })).result();
  expect(result.end).toBe('ALREADY_OWNED');
  expect(result.delivery).toEqual([
    expect.objectContaining({ collection: item.collection, item: item.item, state: 'DELIVERED', reason: null }),
  ]);
  for (const asset of assets) expect(multihash(path.join(itemDir, asset.file))).toBe(asset.checksum);
  expect(fs.readdirSync(itemDir).filter((f) => f.endsWith('.part'))).toEqual([]);
  const storage = (await env.admin.stats()).endpoints.storage;
  expect(storage?.statuses['206']).toBeGreaterThanOrEqual(1); // the partial files resumed with Range
  expect(storage?.requests).toBeLessThan(assets.length + 2); // the finished file was not fetched again
}, 60_000);

test('a download that stays corrupted fails its item with the reason; the purchase stays COMPLETED', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-deliver-bad-'));
  const [item] = await env.items(1);
  await env.admin.setFaults({ seed: 4, endpoints: { storage: { malformed: 1 } } });
  try {
    const result = await (await env.buy({ items: [item], deliver: { dir } })).result();
    expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID' });
    expect(result.delivery).toHaveLength(1);
    expect(result.delivery?.[0].state).toBe('FAILED');
    expect(result.delivery?.[0].reason).toMatch(/(checksum mismatch|size \d+ bytes, expected \d+) after 3 downloads/);
    const itemDir = path.join(dir, item.collection, item.item);
    const left = fs.existsSync(itemDir) ? fs.readdirSync(itemDir) : [];
    expect(left.filter((f) => !f.endsWith('.part')).length).toBeLessThan((await assetsOf(item)).length);
  } finally {
    await env.admin.setFaults({});
  }
}, 60_000);
