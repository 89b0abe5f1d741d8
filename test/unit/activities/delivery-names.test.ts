/**
 * What an item's assets become on delivery. Two assets whose hrefs end in the same file name (a band each) are two
 * files, each with its own bytes: under one name, one overwrote the other and the item still read DELIVERED. An item
 * with no asset to download is not delivered: it read DELIVERED with no file. MockActivityEnvironment, a stub
 * DataCosmos client serving the bytes, and a directory of the test's own.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDeliveryActivities, NO_ASSETS } from '../../../src/activities/delivery';
import type { DataCosmosClient } from '../../../src/datacosmos';
import type { ItemDelivery } from '../../../src/shared/delivery-types';

const BYTES: Record<string, Buffer> = {
  'https://data.example/i/B01/data.tif': Buffer.from('band one'),
  'https://data.example/i/B02/data.tif': Buffer.from('band two, longer'),
};
const asset = (href: string) => ({
  href,
  'file:size': BYTES[href].length,
  'file:checksum': `1220${createHash('sha256').update(BYTES[href]).digest('hex')}`,
});
const client = {
  async getItem(collection: string, item: string) {
    const [one, two] = Object.keys(BYTES);
    if (item === 'no-assets') return { id: item, collection, assets: {} };
    return { id: item, collection, assets: { B01: asset(one), B02: asset(two) } };
  },
  async download(href: string) {
    return { status: 200, body: Readable.from([BYTES[href]]) };
  },
} as unknown as DataCosmosClient;

let dir: string;
beforeAll(async () => (dir = await mkdtemp(path.join(tmpdir(), 'dcp-names-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

test('assets sharing a file name become files of their own, each with its bytes', async () => {
  const { deliverItems } = createDeliveryActivities({ client });
  const [delivered] = (await new MockActivityEnvironment().run(() =>
    deliverItems({ dir, items: [{ collection: 'c', item: 'i' }] }),
  )) as ItemDelivery[];
  expect(delivered.state).toBe('DELIVERED');
  expect(new Set(delivered.files).size).toBe(2);
  const contents = await Promise.all(delivered.files.map((file) => readFile(file, 'utf8')));
  expect(contents.sort()).toEqual(['band one', 'band two, longer']);
});

test('an item with no asset to download fails its delivery, naming why; the next item is still delivered', async () => {
  const { deliverItems } = createDeliveryActivities({ client });
  const items = [
    { collection: 'c', item: 'no-assets' },
    { collection: 'c', item: 'next' },
  ];
  const [empty, next] = (await new MockActivityEnvironment().run(() => deliverItems({ dir, items }))) as ItemDelivery[];
  expect(empty).toMatchObject({ item: 'no-assets', state: 'FAILED', files: [], reason: NO_ASSETS });
  expect(next).toMatchObject({ item: 'next', state: 'DELIVERED' });
});
