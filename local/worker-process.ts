/** Runs the purchase worker program against the local stack. */
import { LoggedChild, spawnLogged } from './child-process';
import { builtProgram } from './programs';
import { stackVariables } from '../src/config/settings';
import type { LocalStack } from '../src/config/stack-file';

// The worker drains its activities for up to 10 s on SIGTERM (shutdownGraceTime).
const STOP_GRACE_MS = 15_000;

/** The variables that point a worker at the local stack: the ones its stack file stands for. */
export function workerEnvironment(stack: LocalStack): Record<string, string> {
  return stackVariables(stack);
}

export function workerProgram(): string {
  return builtProgram('src/worker.js', 'worker');
}

/**
 * `node dist/src/worker.js` with these variables on top of ours, less our own DataCosmos and Temporal settings: a
 * shell set up for a real account must not point the local stack's worker at it (or at its Temporal server).
 */
export function startWorkerProcess(variables: Record<string, string>, logFile: string): LoggedChild {
  const ours = Object.entries(process.env).filter(([name]) => !/^(DATACOSMOS|TEMPORAL)_/.test(name));
  const env = { ...Object.fromEntries(ours), ...variables };
  return spawnLogged(process.execPath, [workerProgram()], { env, logFile, stopGraceMs: STOP_GRACE_MS });
}
