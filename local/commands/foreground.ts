/** Runs a local stack in the foreground until SIGINT/SIGTERM (`dcp dev`, `dcp stack production`). */
import { CliError, ExitCode } from '../../src/shared/errors';
import type { SupervisedStack } from '../stack-parts';

/**
 * Starts the stack, reports it with `onRunning`, and waits until it is stopped by a signal (then prints
 * `stoppedLine`) or one of its parts dies (then fails naming it).
 */
export async function runInForeground<S extends SupervisedStack>(
  start: () => Promise<S>,
  onRunning: (stack: S) => void,
  stoppedLine: string,
): Promise<void> {
  // Listen before starting, so a signal during start-up still stops whatever was started.
  let running: S | undefined;
  let stopRequested = false;
  const onSignal = () => {
    stopRequested = true;
    void running?.stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    running = await start();
    if (stopRequested) void running.stop();
    else onRunning(running);
    await running.done;
    process.stdout.write(`${stoppedLine}\n`);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError((err as Error).message, ExitCode.FAILURE);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
