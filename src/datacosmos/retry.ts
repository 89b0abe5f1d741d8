import { backoffDelayMs, sleep, type RetryPolicy } from './backoff';
import { isDataCosmosError } from './errors';

/**
 * Runs `attempt` until it succeeds, fails for good, or the attempts run out. Only retryable
 * DataCosmosErrors are retried, never 'outcome_unknown' (that needs a look before a new try).
 * A Retry-After is honoured; one longer than maxDelayMs is not waited out here but thrown, so a
 * caller with its own scheduler (Temporal) waits without holding a slot.
 */
export async function withRetry<T>(
  policy: RetryPolicy | false,
  signal: AbortSignal | undefined,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  const maxAttempts = policy ? policy.maxAttempts : 1;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!policy || attemptNumber >= maxAttempts || !shouldRetry(error, policy)) throw error;
      const retryAfterMs = isDataCosmosError(error) ? error.retryAfterMs : undefined;
      await sleep(retryAfterMs ?? backoffDelayMs(attemptNumber, policy), signal);
    }
  }
}

function shouldRetry(error: unknown, policy: RetryPolicy): boolean {
  if (!isDataCosmosError(error) || !error.retryable || error.kind === 'outcome_unknown') return false;
  return error.retryAfterMs === undefined || error.retryAfterMs <= policy.maxDelayMs;
}
