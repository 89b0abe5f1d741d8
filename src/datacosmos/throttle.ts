/**
 * Paces requests to at most N per second, evenly spaced, so a worker stays under the API's rate limit
 * instead of bursting into 429s. Shared by every request of one client.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export class RequestThrottle {
  private nextSlotMs = 0;
  private readonly intervalMs: number;

  constructor(
    perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0)) throw new RangeError(`requests per second must be positive, got ${perSecond}`);
    this.intervalMs = 1000 / perSecond;
  }

  /** Resolves at this caller's slot; callers are served in arrival order. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlotMs);
    this.nextSlotMs = slot + this.intervalMs;
    if (slot > now) await sleep(slot - now, undefined, { signal });
  }
}
