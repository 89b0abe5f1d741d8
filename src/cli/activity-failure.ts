/**
 * The CLI runs some activity code directly (pricing, the contract choice, cutting scenes to an area), which fails as
 * activities do, with an ApplicationFailure: here such a failure ends the command with its message and exit code.
 */
import { ApplicationFailure } from '@temporalio/common';
import { CliError, ExitCode } from '../shared/errors';

export async function asCliFailure<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof ApplicationFailure)) throw err;
    const unreachable = err.type === 'DataCosmos.network' || err.type === 'DataCosmos.timeout';
    throw new CliError(err.message, unreachable ? ExitCode.UNAVAILABLE : ExitCode.API_ERROR);
  }
}
