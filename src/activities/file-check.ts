/** What a delivered file must be: the asset's `file:size` and multihash sha256 `file:checksum`, when it gives them. */
import { createHash } from 'node:crypto';

/** Multihash prefix of a sha256 digest: 0x12 (sha2-256), 0x20 (32 bytes). */
export const SHA256_MULTIHASH = '1220';

export interface ExpectedContent {
  size?: number;
  /** Multihash hex: "1220" + sha256. */
  checksum?: string;
}

/** Why the checksum cannot be checked (not a sha256 multihash), or null. */
export function unsupportedChecksum(spec: ExpectedContent): string | null {
  if (spec.checksum === undefined || spec.checksum.startsWith(SHA256_MULTIHASH)) return null;
  return `unsupported checksum ${spec.checksum} (only multihash sha256)`;
}

/** The sha256 the content must have, when the asset tells it. */
export function expectedSha256(spec: ExpectedContent): string | undefined {
  return spec.checksum?.slice(SHA256_MULTIHASH.length);
}

/** null when bytes of this size and sha256 (hex; null: not computed, the size alone counts) are the asset's. */
export function contentProblem(size: number, sha256: string | null, spec: ExpectedContent): string | null {
  if (spec.size !== undefined && size !== spec.size) return `size ${size} bytes, expected ${spec.size}`;
  if (spec.checksum === undefined || sha256 === null) return null;
  const actual = `${SHA256_MULTIHASH}${sha256}`;
  return actual === spec.checksum ? null : `checksum mismatch (got ${actual}, expected ${spec.checksum})`;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
