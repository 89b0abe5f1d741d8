/**
 * One verified file download: resume `TARGET.part` with HTTP Range, check size and multihash sha256,
 * then rename into place (atomic), so TARGET only ever holds a complete, verified file.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DataCosmosClient } from '../datacosmos';
import { apiStep } from './failures';
import { contentProblem, unsupportedChecksum, type ExpectedContent } from './file-check';

export interface FileSpec extends ExpectedContent {
  href: string;
  target: string;
}

/** Downloads and verifies one file; returns null when TARGET is verified, or why it could not be. */
export async function downloadVerified(
  client: DataCosmosClient,
  file: FileSpec,
  opts: { attempts: number; signal: AbortSignal; progress: (bytes: number) => void },
): Promise<string | null> {
  const unsupported = unsupportedChecksum(file);
  if (unsupported) return `${file.target}: ${unsupported}`;
  // Checking a large file already there takes a while: it heartbeats as a download does, with no bytes added.
  const alive = () => opts.progress(0);
  if ((await verify(file.target, file, alive)) === null) return null;
  await fs.mkdir(path.dirname(file.target), { recursive: true });
  const part = `${file.target}.part`;
  let problem = '';
  for (let attempt = 1; attempt <= opts.attempts; attempt += 1) {
    await fetchRest(client, file, part, opts);
    const mismatch = await verify(part, file, alive);
    if (mismatch === null) {
      await fs.rename(part, file.target);
      return null;
    }
    problem = mismatch;
    await fs.rm(part, { force: true }); // the bytes are bad: start over
  }
  return `${file.target}: ${problem} after ${opts.attempts} downloads`;
}

/** Appends what is missing to the partial file: from its current length, or from 0 when the server sends it all. */
async function fetchRest(
  client: DataCosmosClient,
  file: FileSpec,
  part: string,
  opts: { signal: AbortSignal; progress: (bytes: number) => void },
): Promise<void> {
  let have = await sizeOf(part);
  if (file.size !== undefined && have > file.size) {
    await fs.rm(part, { force: true });
    have = 0;
  }
  if (file.size !== undefined && have === file.size) return;
  const reply = await apiStep(() =>
    client.download(file.href, { rangeStart: have > 0 ? have : undefined, signal: opts.signal }),
  );
  const append = reply.status === 206 && have > 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      opts.progress(chunk.length);
      done(null, chunk);
    },
  });
  const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
  await pipeline(reply.body, counter, out, { signal: opts.signal });
  const handle = await fs.open(part, 'r+');
  await handle.sync().finally(() => handle.close());
}

/** null when the file exists with the expected size and checksum, otherwise what is wrong. */
async function verify(file: string, spec: FileSpec, alive: () => void): Promise<string | null> {
  const size = await sizeOf(file);
  if (size < 0) return 'missing';
  if (spec.size !== undefined && size !== spec.size) return contentProblem(size, null, spec);
  if (spec.checksum === undefined) return null;
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    alive();
  }
  return contentProblem(size, hash.digest('hex'), spec);
}

async function sizeOf(file: string): Promise<number> {
  return fs.stat(file).then(
    (s) => s.size,
    () => -1,
  );
}
