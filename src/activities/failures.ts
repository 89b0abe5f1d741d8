/**
 * Turns DataCosmos client errors into Temporal activity failures. The client classifies every error
 * once (retryable or not); this only carries that verdict, the API's message and any Retry-After.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { DataCosmosError } from '../datacosmos/errors';

export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof DataCosmosError)) return err;
  const type = `DataCosmos.${err.kind}`;
  const details = [{ endpoint: err.endpoint, status: err.status ?? null, traceId: err.traceId ?? null }];
  if (!err.retryable) return ApplicationFailure.nonRetryable(err.message, type, ...details);
  return ApplicationFailure.create({ message: err.message, type, details, nextRetryDelay: err.retryAfterMs });
}

/** A business rule that no retry can change (no usable contract, unknown item, ...). */
export function businessRule(message: string, type: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type);
}

/** An outcome no retry of this attempt can settle (see UNSETTLED_FAILURES); details carry what is known. */
export function unsettled(message: string, type: string, known: Record<string, unknown> = {}): ApplicationFailure {
  return ApplicationFailure.nonRetryable(message, type, known);
}

/** A failure that retrying will not change: the API refused, or a path or reply is not what the client knows. */
export function isFinalApiFailure(err: unknown): err is ApplicationFailure {
  return err instanceof ApplicationFailure && err.nonRetryable === true;
}

/** Runs one API step, converting its errors. */
export async function apiStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw toActivityFailure(err);
  }
}

/** The running activity's cancellation, for the client's requests. */
export function cancellation(): AbortSignal {
  return Context.current().cancellationSignal;
}

/**
 * Why the bucket refused for good, or null for a failure a retry may cure. The store's 4xx answers (no such
 * bucket, access denied, a bad key: but timeouts and throttling) and missing credentials are final; 5xx, resets
 * and timeouts are retried by Temporal.
 */
export function s3Refusal(err: unknown): string | null {
  if (!(err instanceof Error)) return null;
  if (err.name === 'CredentialsProviderError') return `no S3 credentials: ${err.message}`;
  const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === undefined || status < 400 || status >= 500 || status === 408 || status === 429) return null;
  // S3 answers a socket left idle too long (a slow link) with RequestTimeout and HTTP 400: a timeout, not a refusal.
  if (err.name === 'RequestTimeout') return null;
  return `${err.name} (HTTP ${status}): ${err.message}`;
}
