/** Exit codes of every `dcp` command (the README's table under "Commands", checked by test/unit/docs.test.ts). */
export const ExitCode = {
  OK: 0,
  FAILURE: 1,
  USAGE: 2,
  CANCELLED: 3,
  EXPIRED: 4,
  REJECTED: 5,
  API_ERROR: 6,
  UNAVAILABLE: 7,
  /** A batch (or a delivery) finished, but some of its items failed or expired. */
  ITEMS_FAILED: 8,
  /** Nothing bought: another purchase holds the items (its id is printed). */
  IN_FLIGHT: 9,
  /** A worker refused to start: its code cannot replay a history on its queues (WORKER_REPLAY_CHECK). */
  REPLAY_REFUSED: 10,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that ends a command with one line on stderr and a chosen exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
