/** Small helpers for the long-running child programs of the local stack. */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves when the child has exited (at once if it already has); rejects if it could not be started. */
export function waitForExit(child: ChildProcess): Promise<ChildExit> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (err) => {
      if (child.pid === undefined) reject(err);
    });
  });
}

/** Whether a process with this pid exists (EPERM: it does, but belongs to someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function describeExit({ code, signal }: ChildExit): string {
  return signal ? `was killed by ${signal}` : `exited with code ${code}`;
}

/** Remembers the last line a child wrote, to explain in one line why it failed. */
export class LastLine {
  private last = '';
  private partial = '';

  push(chunk: Buffer | string): void {
    const lines = (this.partial + chunk.toString()).split('\n');
    this.partial = lines.pop() ?? '';
    const complete = lines.filter((line) => line.trim()).pop();
    if (complete) this.last = complete.trim();
  }

  toString(): string {
    return this.partial.trim() || this.last;
  }
}

/** A long-running child whose output goes to a log file (or nowhere), remembering its last line. */
export interface LoggedChild {
  child: ChildProcess;
  exited: Promise<ChildExit>;
  lastLine: LastLine;
  /** SIGTERM, then SIGKILL after the grace period; resolves once the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would. */
  kill(): void;
}

export function spawnLogged(
  command: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; logFile?: string; stopGraceMs: number },
): LoggedChild {
  const child = spawn(command, args, { env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = waitForExit(child);
  const lastLine = new LastLine();
  const log = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      lastLine.push(chunk);
      log?.write(chunk);
    });
  }
  exited.finally(() => log?.end()).catch(() => undefined);
  return {
    child,
    exited,
    lastLine,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.stopGraceMs);
      await exited.catch(() => undefined).finally(() => clearTimeout(timer));
    },
    kill: () => child.kill('SIGKILL'),
  };
}
