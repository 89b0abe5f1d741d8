/**
 * A worker as its own process, configured by the environment alone (as production runs it): its stderr (the JSON
 * log and the last `worker: ...` line) collected, its exit code awaited, stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** This checkout's built worker. */
export const WORKER_PROGRAM = path.resolve(__dirname, '../../dist/src/worker.js');

export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

export function runWorkerProcess(vars: Record<string, string>, program = WORKER_PROGRAM): WorkerProcess {
  const child = spawn(process.execPath, [program], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH, ...vars },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stderr: () => stderr,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}
