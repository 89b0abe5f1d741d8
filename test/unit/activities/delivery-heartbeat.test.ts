/**
 * A delivery whose files are already in place moves no bytes, yet beats while it checks them: a retry of a killed
 * delivery, or `dcp redeliver` of a delivered purchase, checks every file again before it downloads anything, and
 * without beats a long check ran past the heartbeat timeout in every attempt. MockActivityEnvironment, with a stub
 * DataCosmos client whose downloads fail (nothing should be downloaded).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createDeliveryActivities } from '../../../src/activities/delivery';
import type { DataCosmosClient } from '../../../src/datacosmos';
import type { ItemDelivery } from '../../../src/shared/delivery-types';

const ITEMS = ['a', 'b', 'c'];
const CONTENT = Buffer.alloc(3 * 1024 * 1024, 7); // several read chunks

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dcp-delivered-'));
  for (const item of ITEMS) {
    await mkdir(path.join(dir, 'c', item), { recursive: true });
    await writeFile(path.join(dir, 'c', item, 'visual.tif'), CONTENT);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const client = {
  async getItem(collection: string, item: string) {
    const checksum = `1220${createHash('sha256').update(CONTENT).digest('hex')}`;
    return {
      id: item,
      collection,
      assets: {
        visual: {
          href: `https://data.example/${item}/visual.tif`,
          'file:size': CONTENT.length,
          'file:checksum': checksum,
        },
      },
    };
  },
  async download() {
    throw new Error('nothing should be downloaded');
  },
} as unknown as DataCosmosClient;

test('files already delivered are checked, not downloaded, with a beat for each item and while hashing', async () => {
  const env = new MockActivityEnvironment();
  let beats = 0;
  env.on('heartbeat', () => (beats += 1));
  const { deliverItems } = createDeliveryActivities({ client });
  const delivered = (await env.run(() =>
    deliverItems({ dir, items: ITEMS.map((item) => ({ collection: 'c', item, level: 'L1C' })) }),
  )) as ItemDelivery[];
  expect(delivered.map((d) => d.state)).toEqual(['DELIVERED', 'DELIVERED', 'DELIVERED']);
  // One at the start, then at least one per item and per chunk hashed.
  expect(beats).toBeGreaterThan(1 + 2 * ITEMS.length);
});
