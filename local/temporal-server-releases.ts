/**
 * The Temporal server releases of the native production stack. Temporal supports upgrading one minor version at a
 * time, from the newest patch of each: a database made by an earlier release is run by every release after it on
 * this list, in order, before the current one.
 */
import { CliError, ExitCode } from '../src/shared/errors';

/**
 * Oldest first: the release the stack first ran (the oldest a data dir can hold), the newest patch of each later
 * minor version that builds from the Go module proxy, and last the current release, which docker-compose.yml pins
 * too. 1.31.2, not 1.31.5: from 1.31.3 on, 1.31 needs versions of go.temporal.io/auto-scaled-workers that the
 * proxy does not serve.
 */
export const TEMPORAL_SERVER_RELEASES = ['v1.29.1', 'v1.30.9', 'v1.31.2', 'v1.32.2'] as const;

export const TEMPORAL_SERVER_VERSION: string = TEMPORAL_SERVER_RELEASES[TEMPORAL_SERVER_RELEASES.length - 1];

/** The releases a database of release `from` runs on its way to release `to`, both left out; refuses a downgrade. */
export function releasesBetween(from: string, to: string): string[] {
  const releases: readonly string[] = TEMPORAL_SERVER_RELEASES;
  const start = releases.indexOf(from);
  const end = releases.indexOf(to);
  if (end < 0) throw new Error(`Temporal ${to} is not a release of the native production stack`);
  if (start < 0)
    throw new CliError(
      `the database was made by Temporal ${from}, which this stack cannot upgrade (it knows ${releases.join(', ')}): ` +
        'upgrade it with the releases in between first, or start on a new data dir',
      ExitCode.USAGE,
    );
  if (start > end)
    throw new CliError(
      `the database holds the schema of Temporal ${from}, newer than ${to}: a server cannot be downgraded; ` +
        'run a newer datacosmos-purchase, or start on a new data dir',
      ExitCode.USAGE,
    );
  return releases.slice(start + 1, end);
}
