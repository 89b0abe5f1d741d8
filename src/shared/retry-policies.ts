/**
 * One retry policy per kind of step, shared by every workflow: a DataCosmos call (or a call through the Temporal
 * client on its behalf), a download, and the housekeeping of stored pages. Pure data.
 */
import type { RetryPolicy } from '@temporalio/common';

/** A DataCosmos step: soon at first, then at most once a minute (a budget, a timeout or the payment deadline bounds it). */
export const STEP_RETRY: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' };

/** A download: it resumes from the bytes already on disk, so it comes back sooner. */
export const DOWNLOAD_RETRY: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' };

/** Housekeeping that nothing waits for (a stored page asking about its owner). */
export const HOUSEKEEPING_RETRY: RetryPolicy = {
  initialInterval: '10s',
  backoffCoefficient: 2,
  maximumInterval: '10m',
};
