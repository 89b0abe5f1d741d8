/** Stopping child processes in tests, and waiting until they have exited (at once when they have already). */
import type { ChildProcess } from 'node:child_process';

export function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

/** Crash tests kill worker processes the hard way: no shutdown, no drain, as a machine failure would. */
export function kill9(worker: ChildProcess): Promise<void> {
  return stopChild(worker, 'SIGKILL');
}
