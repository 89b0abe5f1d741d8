/**
 * Event ids already handled, so a replayed event is refused. An id needs remembering only while its
 * event could still pass the timestamp check (twice the tolerance covers clock skew both ways); the
 * map is also capped, dropping the oldest ids first.
 */
export class ReplayGuard {
  /** id -> time (ms) it may be forgotten; insertion order = expiry order, as the window is constant. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly toleranceS: number,
    private readonly maxIds = 100_000,
  ) {}

  /** Reserves the id for handling; false when it was handled (or is being handled) already. */
  claim(id: string, nowMs = Date.now()): boolean {
    this.forgetExpired(nowMs);
    if (this.seen.has(id)) return false;
    this.seen.set(id, nowMs + 2 * this.toleranceS * 1000);
    if (this.seen.size > this.maxIds) this.seen.delete(this.seen.keys().next().value as string);
    return true;
  }

  /** Handling failed: the provider will send the same event again, and that must not count as a replay. */
  release(id: string): void {
    this.seen.delete(id);
  }

  private forgetExpired(nowMs: number): void {
    for (const [id, expiresAtMs] of this.seen) {
      if (expiresAtMs > nowMs) break;
      this.seen.delete(id);
    }
  }
}
