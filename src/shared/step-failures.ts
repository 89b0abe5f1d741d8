/**
 * What a failed step means to the workflow that ran it, pure: an activity's failure arrives wrapped in an
 * ActivityFailure (or, from a local activity, as the ApplicationFailure itself); its type says whether the order's
 * fate is unknown (NEEDS_ATTENTION), whether retrying is pointless, and its message is the API's own.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { FAILURE, UNSETTLED_FAILURES } from './failure-types';

/** The failure an activity ended with, or null for anything else. */
export function activityCause(err: unknown): ApplicationFailure | null {
  if (err instanceof ActivityFailure) return err.cause instanceof ApplicationFailure ? err.cause : null;
  return err instanceof ApplicationFailure ? err : null;
}

/** An order step's failure that leaves the order's fate unknown (UNSETTLED_FAILURES): its message, else null. */
export function unsettledReason(err: unknown): string | null {
  const cause = activityCause(err);
  return cause && UNSETTLED_FAILURES.has(cause.type ?? '') ? cause.message : null;
}

export function isNonRetryable(err: unknown): boolean {
  return activityCause(err)?.nonRetryable === true;
}

/** The API's message of an activity failure that ends a purchase FAILED, or null for other errors (bad input too). */
export function businessFailure(err: unknown): string | null {
  if (activityCause(err)?.type === FAILURE.invalidInput) return null;
  return err instanceof ActivityFailure || activityCause(err) ? failureMessage(err) : null;
}

export function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure) return err.cause?.message ?? err.message;
  return err instanceof Error ? err.message : String(err);
}

/** How bad input ends a purchase or a batch: a failure of the workflow, before any side effect, naming the problems. */
export function invalidInput(what: 'purchase' | 'batch', problems: string[]): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`invalid ${what}: ${problems.join('; ')}`, FAILURE.invalidInput);
}
