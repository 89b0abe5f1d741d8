/**
 * A purchase or batch runs on without the command that started it. An error while the command follows it (Temporal
 * out of reach longer than the client retries, a worker check that fails) must not read as if nothing was started:
 * with --json no start line was printed, and a batch's default id is new each time, so a rerun would start another.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { CliError, ExitCode } from '../shared/errors';
import { asCliError } from './context';

/** Follows `what`, started or running; an error that is not the command's verdict names it and where to see it. */
export async function followingStarted<T>(what: string, see: string, follow: () => Promise<T>): Promise<T> {
  try {
    return await follow();
  } catch (err) {
    // The command's verdict, or the workflow's own end (refused input, terminated): nothing goes on.
    if (err instanceof CliError || err instanceof WorkflowFailedError) throw asCliError(err);
    const known = asCliError(err);
    const cause = known instanceof Error ? known.message : String(known);
    const code = known instanceof CliError ? known.exitCode : ExitCode.FAILURE;
    throw new CliError(`${what} goes on without this command (${see}); following it failed: ${cause}`, code);
  }
}
