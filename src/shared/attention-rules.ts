/**
 * NEEDS_ATTENTION, pure: how long a purchase whose order step cannot be settled waits before it tries again (a
 * growing interval, up to an hour, so a long wait stays a small history), and what an operator can do.
 */

/** Longest wait between two tries of a step that needs attention. */
export const ATTENTION_RETRY_CAP_MS = 3600_000;

export function attentionRetryMs(pollCapMs: number, retries: number): number {
  return Math.min(pollCapMs * 2 ** retries, ATTENTION_RETRY_CAP_MS);
}

/** What resolves each kind of attention; `ID` is the purchase's id when shown. */
export const ATTENTION_RESOLVES = {
  create:
    'adopt the order with `dcp adopt ID --order ORDER_ID` if DataCosmos has one for these items, or `dcp cancel ID`',
  checkout: 'fix the checkout path (see "Using the real API"); it is tried again, or `dcp cancel ID`',
  poll: 'fix the order path (see "Using the real API"); it is read again at every poll, or `dcp cancel ID`',
  pollRefused:
    "fix what the API refused (the worker's credentials, the API client's access to orders); it is read again at " +
    'every poll, or `dcp cancel ID`',
} as const;
