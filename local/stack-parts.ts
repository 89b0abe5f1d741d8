/**
 * The running parts of a local stack (`dcp dev`, `dcp stack production`): stopped newest first, and all of them
 * stopped when one dies on its own. Also the stack file check that keeps two stacks off one data dir.
 */
import { CliError, ExitCode } from '../src/shared/errors';
import { LocalStack, readStackFile, removeStackFile } from '../src/config/stack-file';
import { ChildExit, describeExit, isProcessAlive } from './child-process';

export interface StackPart {
  name: string;
  logFile: string;
  exited: Promise<ChildExit>;
  stop(): Promise<void>;
}

export interface SupervisedStack {
  /** Stops every part, newest first, and removes the data dir's stack.json. */
  stop(): Promise<void>;
  /** Resolves once stopped by stop(); rejects, after stopping the rest, when a part dies on its own. */
  done: Promise<void>;
}

/** Stops the parts newest first (for a start that failed half-way). */
export async function stopParts(parts: StackPart[]): Promise<void> {
  for (const part of [...parts].reverse()) await part.stop();
}

export function supervise(parts: StackPart[], dataDir: string): SupervisedStack {
  let stopping: Promise<void> | undefined;
  let settleDone: { resolve: () => void; reject: (err: Error) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => (settleDone = { resolve, reject }));
  const shutDown = (failure?: Error) =>
    (stopping ??= stopParts(parts)
      .then(() => removeStackFile(dataDir))
      .then(() => (failure ? settleDone?.reject(failure) : settleDone?.resolve())));
  for (const part of parts) {
    part.exited.then(
      (exit) => {
        if (stopping) return;
        void shutDown(new Error(`${part.name} ${describeExit(exit)} unexpectedly (log: ${part.logFile})`));
      },
      () => undefined,
    );
  }
  return { stop: () => shutDown(), done };
}

/** Refuses a data dir whose stack.json belongs to a live process (one left by a crashed run does not count). */
export function assertNoRunningStack(dataDir: string): void {
  let stack: LocalStack | undefined;
  try {
    stack = readStackFile(dataDir);
  } catch {
    return; // unreadable: it will be overwritten
  }
  if (stack && stack.pid !== process.pid && isProcessAlive(stack.pid))
    throw new CliError(`a local stack is already running on ${dataDir} (pid ${stack.pid})`, ExitCode.UNAVAILABLE);
}
