/** Crash tests kill worker processes the hard way: no shutdown, no drain, as a machine failure would. */
import type { ChildProcess } from 'node:child_process';

export function kill9(worker: ChildProcess): Promise<void> {
  if (worker.exitCode !== null || worker.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    worker.once('exit', () => resolve());
    worker.kill('SIGKILL');
  });
}
