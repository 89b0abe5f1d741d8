/**
 * Types of the activity failures the purchase workflow tells apart. The DataCosmos client's own kinds arrive as
 * `DataCosmos.<kind>`; the rest are the activities' own verdicts.
 */
export const FAILURE = {
  /** A create whose reply was lost, and the order list cannot tell whether the order exists. */
  orderOutcomeUnknown: 'OrderOutcomeUnknown',
  /** An order exists, but it cannot be read (its path answers 404/405, or its reply has no status). */
  orderUnreadable: 'OrderUnreadable',
  /** An order an operator named cannot belong to this purchase. */
  adoptionRefused: 'AdoptionRefused',
  /** 404/405 from an endpoint whose path the docs do not confirm. */
  unsupported: 'DataCosmos.unsupported',
  /** A reply that lacks what a decision needs. */
  schema: 'DataCosmos.schema',
  /**
   * A purchase or batch started with input its rules refuse (or a budget in another currency than its contract):
   * the workflow fails with this type before any side effect, the one way bad input ends.
   */
  invalidInput: 'InvalidInput',
} as const;

/**
 * Failures that leave an order's fate unknown rather than refused: after an order may exist, the purchase rests
 * in NEEDS_ATTENTION on these instead of ending FAILED, so a paid order is never reported as failed.
 */
export const UNSETTLED_FAILURES: ReadonlySet<string> = new Set([
  FAILURE.orderOutcomeUnknown,
  FAILURE.orderUnreadable,
  FAILURE.unsupported,
  FAILURE.schema,
]);
