/**
 * The worker process (`dcp worker`): runs purchase workflows and their DataCosmos activities.
 * Configuration comes from the environment (or the local stack file); see README "Configuration".
 */
import './runtime/compile-cache';
import { loadSettings } from './config/settings';
import { runWorker } from './runtime/purchase-worker';
import { CliError, ExitCode } from './shared/errors';
import { oneLine } from './shared/one-line';

if (require.main === module) {
  Promise.resolve()
    .then(() => runWorker(loadSettings()))
    .then(
      () => process.exit(ExitCode.OK),
      (err: unknown) => {
        process.stderr.write(`worker: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
        process.exit(err instanceof CliError ? err.exitCode : ExitCode.FAILURE);
      },
    );
}
