/**
 * One asset streamed from DataCosmos storage into a bucket, part by part (one HTTP range request per part, no local
 * copy), hashed with sha256 on the way and verified against the asset's `file:checksum` (else `file:size`) before
 * the object is made: a file of one part is checked and then put, a larger one is completed only when it checks
 * out, and aborted otherwise. Each stored part is recorded with the sha256 state after it, so an attempt after a
 * worker kill lists the upload's parts (ListParts), keeps those recorded, restores the hash state and streams only
 * the rest. An object already there with the expected size and recorded sha256 is left as it is.
 */
import { DataCosmosError, type DataCosmosClient } from '../datacosmos';
import { partSizeFor, partsToKeep, type StoredPart, type UploadProgress } from '../shared/part-plan';
import { toActivityFailure } from './failures';
import { contentProblem, expectedSha256, unsupportedChecksum, type ExpectedContent } from './file-check';
import { ResumableSha256 } from './resumable-sha256';
import type { S3Store } from './s3-store';

export interface ObjectSpec extends ExpectedContent {
  href: string;
  bucket: string;
  key: string;
  partSize: number;
}

export interface UploadContext {
  client: DataCosmosClient;
  store: S3Store;
  signal: AbortSignal;
  /** What an earlier attempt recorded for this object. */
  saved?: UploadProgress;
  /** Records the upload's progress in the heartbeat (null: no upload open). */
  record(progress: UploadProgress | null): void;
  progress(bytes: number): void;
}

export type UploadOutcome = { ok: true; size: number; sha256: string } | { ok: false; problem: string };

/** Uploads and verifies one object, up to `attempts` times when its bytes do not check out. */
export async function uploadVerified(spec: ObjectSpec, ctx: UploadContext, attempts: number): Promise<UploadOutcome> {
  const unsupported = unsupportedChecksum(spec);
  if (unsupported) return { ok: false, problem: unsupported };
  const existing = await ctx.store.head(spec.bucket, spec.key, ctx.signal);
  if (existing?.sha256 && contentProblem(existing.size, existing.sha256, spec) === null) {
    return { ok: true, size: existing.size, sha256: existing.sha256 };
  }
  let problem = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    const outcome = await uploadOnce(spec, { ...ctx, saved: attempt === 1 ? ctx.saved : undefined });
    if (outcome.ok) return outcome;
    problem = outcome.problem;
  }
  return { ok: false, problem: `${problem} after ${attempts} uploads` };
}

async function uploadOnce(spec: ObjectSpec, ctx: UploadContext): Promise<UploadOutcome> {
  const { store, signal } = ctx;
  const partSize = partSizeFor(spec.size, spec.partSize);
  const resumed = ctx.saved ? await resumable(spec, ctx, ctx.saved, partSize) : null;
  if (!resumed) await store.abortUploads(spec.bucket, spec.key, signal); // left by an attempt that recorded nothing
  const hash = new ResumableSha256(resumed?.progress.hash);
  const parts: StoredPart[] = resumed?.parts ?? [];
  let uploadId = resumed?.progress.uploadId;
  let offset = parts.length * partSize;
  for (;;) {
    const bytes = await readPart(ctx.client, spec.href, offset, partSize, signal);
    const last = bytes.length < partSize || (spec.size !== undefined && offset + bytes.length >= spec.size);
    hash.update(bytes);
    offset += bytes.length;
    ctx.progress(bytes.length);
    if (uploadId === undefined && last) return putWhole(spec, ctx, bytes, hash.hex());
    uploadId ??= await store.createUpload(spec.bucket, spec.key, expectedSha256(spec), signal);
    const where = { bucket: spec.bucket, key: spec.key, uploadId };
    if (bytes.length > 0) {
      const etag = await store.uploadPart(where, parts.length + 1, bytes, signal);
      parts.push({ partNumber: parts.length + 1, size: bytes.length, etag });
    }
    if (last) break;
    ctx.record({ uploadId, partSize, parts: parts.length, hash: hash.state() });
  }
  const sha256 = hash.hex();
  const problem = contentProblem(offset, sha256, spec);
  if (problem) await store.abortUploads(spec.bucket, spec.key, signal);
  else await store.complete({ bucket: spec.bucket, key: spec.key, uploadId }, parts, signal);
  ctx.record(null);
  return problem ? { ok: false, problem } : { ok: true, size: offset, sha256 };
}

/** A file of one part: checked, then put (so the object only ever holds verified bytes). */
async function putWhole(spec: ObjectSpec, ctx: UploadContext, bytes: Buffer, sha256: string): Promise<UploadOutcome> {
  const problem = contentProblem(bytes.length, sha256, spec);
  if (problem) return { ok: false, problem };
  await ctx.store.put(spec.bucket, spec.key, bytes, sha256, ctx.signal);
  return { ok: true, size: bytes.length, sha256 };
}

/** The recorded parts the store still holds, or null when the upload must start again. */
async function resumable(
  spec: ObjectSpec,
  ctx: UploadContext,
  saved: UploadProgress,
  partSize: number,
): Promise<{ progress: UploadProgress; parts: StoredPart[] } | null> {
  const where = { bucket: spec.bucket, key: spec.key, uploadId: saved.uploadId };
  const listed = await ctx.store.listParts(where, ctx.signal);
  const keep = listed ? partsToKeep(saved, listed, partSize) : 0;
  if (!listed || keep === 0) return null;
  const parts = listed.filter((p) => p.partNumber <= keep).sort((a, b) => a.partNumber - b.partNumber);
  return { progress: saved, parts };
}

/** Bytes [start, start + length) of the asset: fewer at its end, none past it (416). */
async function readPart(
  client: DataCosmosClient,
  href: string,
  start: number,
  length: number,
  signal: AbortSignal,
): Promise<Buffer> {
  let reply;
  try {
    reply = await client.download(href, { rangeStart: start, rangeEnd: start + length - 1, signal });
  } catch (err) {
    if (err instanceof DataCosmosError && err.status === 416) return Buffer.alloc(0);
    throw toActivityFailure(err);
  }
  // A server that ignores ranges sends the whole file: skip to the part.
  const skip = reply.status === 206 ? 0 : start;
  const chunks: Buffer[] = [];
  let seen = 0;
  for await (const chunk of reply.body as AsyncIterable<Buffer>) {
    const from = Math.max(0, skip - seen);
    const to = Math.min(chunk.length, skip + length - seen);
    if (to > from) chunks.push(chunk.subarray(from, to));
    seen += chunk.length;
    if (seen >= skip + length) break;
  }
  reply.body.destroy();
  return Buffer.concat(chunks);
}
