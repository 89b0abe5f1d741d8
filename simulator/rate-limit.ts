/** Token buckets per access token or per API client: `rate` requests/s sustained, bursts up to one second's worth. */
import { ApiError } from './http';
import type { RateLimitScope } from './options';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class RateLimiter {
  private buckets = new Map<string, Bucket>();

  /** Takes one request from the caller's bucket or throws a 429 with Retry-After; rate 0 = unlimited. */
  take(scope: RateLimitScope, caller: string, rate: number): void {
    if (rate <= 0) return;
    const now = Date.now();
    const key = `${scope}:${caller}`;
    const bucket = this.buckets.get(key) ?? { tokens: rate, updatedMs: now };
    bucket.tokens = Math.min(rate, bucket.tokens + ((now - bucket.updatedMs) / 1000) * rate);
    bucket.updatedMs = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return;
    }
    const retryAfterS = Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
    throw new ApiError(
      429,
      `rate limit of ${rate} requests/s per ${scope} exceeded; retry after ${retryAfterS}s`,
      null,
      {
        'retry-after': retryAfterS,
      },
    );
  }

  clear(): void {
    this.buckets.clear();
  }
}
