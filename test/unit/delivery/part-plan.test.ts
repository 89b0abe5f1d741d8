/** Multipart uploads: part sizes, what a retried upload keeps, the manifest, and the sha256 state carried over. */
import { createHash, randomBytes } from 'node:crypto';
import { ResumableSha256 } from '../../../src/activities/resumable-sha256';
import { buildManifest, readManifest, type ManifestObject } from '../../../src/shared/delivery-manifest';
import { partSizeFor, partsToKeep, type UploadProgress } from '../../../src/shared/part-plan';
import { partSizeProblem } from '../../../src/shared/s3-destination';

const MiB = 1024 * 1024;

test('a file keeps the part size unless it would need more than 10,000 parts; then whole multiples of it', () => {
  expect(partSizeFor(undefined, 8 * MiB)).toBe(8 * MiB);
  expect(partSizeFor(80_000 * MiB, 8 * MiB)).toBe(8 * MiB);
  expect(partSizeFor(80_001 * MiB, 8 * MiB)).toBe(16 * MiB);
  expect(partSizeFor(200_000 * MiB, 8 * MiB)).toBe(24 * MiB);
  expect(partSizeProblem(8 * MiB)).toBeNull();
  expect(partSizeProblem(1000)).toMatch(/whole number of KiB/);
});

describe('what a retry keeps of a killed upload', () => {
  const saved: UploadProgress = { uploadId: 'u1', partSize: 4096, parts: 2, hash: { words: [], bytes: 8192 } };
  const part = (partNumber: number, size = 4096) => ({ partNumber, size, etag: `"e${partNumber}"` });

  test('the recorded parts, when the store lists them whole', () => {
    expect(partsToKeep(saved, [part(1), part(2)], 4096)).toBe(2);
  });
  test('not the parts stored after the last record (uploaded again, since the hash state stops before them)', () => {
    expect(partsToKeep(saved, [part(1), part(2), part(3)], 4096)).toBe(2);
  });
  test('nothing when a recorded part is missing or short, the part size changed, or the record is inconsistent', () => {
    expect(partsToKeep(saved, [part(2)], 4096)).toBe(0);
    expect(partsToKeep(saved, [part(1), part(2, 100)], 4096)).toBe(0);
    expect(partsToKeep(saved, [part(1), part(2)], 8192)).toBe(0);
    expect(partsToKeep({ ...saved, hash: { words: [], bytes: 4096 } }, [part(1), part(2)], 4096)).toBe(0);
  });
});

test('a sha256 state taken after whole parts resumes to the digest of the whole file', () => {
  const bytes = randomBytes(5 * 4096 + 123);
  const first = new ResumableSha256();
  first.update(bytes.subarray(0, 2 * 4096));
  const state = JSON.parse(JSON.stringify(first.state())) as ReturnType<ResumableSha256['state']>; // as a heartbeat carries it
  expect(state.bytes).toBe(2 * 4096);
  const resumed = new ResumableSha256(state);
  resumed.update(bytes.subarray(2 * 4096));
  expect(resumed.hex()).toBe(createHash('sha256').update(bytes).digest('hex'));
  const midBlock = new ResumableSha256();
  midBlock.update(bytes.subarray(0, 100));
  expect(() => midBlock.state()).toThrow('mid-block');
});

test('a manifest lists the objects by key, merging into the one before (an object newly delivered replaces its entry)', () => {
  const object = (key: string, sha256: string): ManifestObject => ({
    key,
    collection: 'c',
    item: 'i',
    asset: key.split('/').pop() as string,
    size: 10,
    sha256,
  });
  const now = new Date('2026-12-05T10:00:00Z');
  const first = buildManifest({ orderId: 'o1', bucket: 'b' }, [object('p/o1/c/i/b.png', 'aa')], null, now);
  const text = JSON.stringify(first);
  const merged = buildManifest(
    { orderId: 'o1', bucket: 'b' },
    [object('p/o1/c/i/a.tif', 'bb'), object('p/o1/c/i/b.png', 'cc')],
    readManifest(text),
    now,
  );
  expect(merged).toEqual({
    version: 1,
    orderId: 'o1',
    bucket: 'b',
    updatedAt: '2026-12-05T10:00:00.000Z',
    objects: [object('p/o1/c/i/a.tif', 'bb'), object('p/o1/c/i/b.png', 'cc')],
  });
  expect(readManifest('not json')).toBeNull();
  expect(readManifest('{"version":2,"objects":[]}')).toBeNull();
});
