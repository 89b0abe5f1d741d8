/**
 * A sha256 whose state can be kept between attempts: after whole 64-byte blocks it is eight 32-bit words and a
 * byte count, recorded in a heartbeat and taken up by the next attempt, so a resumed upload hashes only the bytes
 * it still streams. @noble/hashes (pinned: 1.8.0) keeps that state in its SHA256 instance; this reads and sets it.
 */
import { SHA256 } from '@noble/hashes/sha2';
import type { HashState } from '../shared/part-plan';

/** The members of noble's SHA256 that hold its state (protected in its types). */
interface StateAccess {
  get(): number[];
  set(...words: number[]): void;
  length: number;
  pos: number;
}

export class ResumableSha256 {
  private readonly hash = new SHA256();

  constructor(from?: HashState) {
    if (!from) return;
    if (from.bytes % 64 !== 0 || from.words.length !== 8) throw new Error('a sha256 state resumes only on a block');
    const inner = this.hash as unknown as StateAccess;
    inner.set(...from.words);
    inner.length = from.bytes;
  }

  update(bytes: Uint8Array): void {
    this.hash.update(bytes);
  }

  /** The state after whole blocks (throws when bytes are buffered: parts are whole KiB). */
  state(): HashState {
    const inner = this.hash as unknown as StateAccess;
    if (inner.pos !== 0) throw new Error('the sha256 state is mid-block');
    return { words: inner.get(), bytes: inner.length };
  }

  hex(): string {
    return Buffer.from(this.hash.digest()).toString('hex');
  }
}
