/**
 * The Temporal server process of the native production stack. Its output goes straight to its log file and its
 * pid to `<data dir>/temporal-server.pid`, so it does not depend on the process that started it: another process
 * (a test, a later `dcp` run) can find it by data dir, kill it as a crash would, or stop it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ChildExit, isProcessAlive, waitForExit } from '../child-process';

const STOP_GRACE_MS = 20_000;

export interface ServerProcess {
  pid: number;
  /** Known only for a server this process started. */
  exited?: Promise<ChildExit>;
}

export function serverPidFile(dataDir: string): string {
  return path.join(dataDir, 'temporal-server.pid');
}

/** Starts `program args` with its output appended to `logFile`, and records its pid. */
export function launchServer(
  program: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  dataDir: string,
  logFile: string,
): ServerProcess {
  const out = fs.openSync(logFile, 'a');
  try {
    const child = spawn(program, args, { env, stdio: ['ignore', out, out] });
    const exited = waitForExit(child);
    exited.catch(() => undefined);
    fs.writeFileSync(serverPidFile(dataDir), `${child.pid}\n`);
    return { pid: child.pid as number, exited };
  } finally {
    fs.closeSync(out);
  }
}

/** The server recorded in the data dir, when it still runs. */
export function runningServer(dataDir: string): ServerProcess | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(serverPidFile(dataDir), 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? { pid } : undefined;
}

/** SIGKILL, as a crash would; resolves once the process is gone. */
export async function killServer(server: ServerProcess): Promise<void> {
  signal(server.pid, 'SIGKILL');
  await gone(server);
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
export async function stopServer(server: ServerProcess, dataDir: string): Promise<void> {
  signal(server.pid, 'SIGTERM');
  const timer = setTimeout(() => signal(server.pid, 'SIGKILL'), STOP_GRACE_MS);
  await gone(server).finally(() => clearTimeout(timer));
  fs.rmSync(serverPidFile(dataDir), { force: true });
}

/** The last line the server wrote to its log, to explain why it failed. */
export function lastLogLine(logFile: string): string {
  try {
    const size = fs.statSync(logFile).size;
    const fd = fs.openSync(logFile, 'r');
    try {
      const length = Math.min(size, 4096);
      const tail = Buffer.alloc(length);
      fs.readSync(fd, tail, 0, length, size - length);
      return tail.toString('utf8').trim().split('\n').pop() ?? '';
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

async function gone(server: ServerProcess): Promise<void> {
  if (server.exited) {
    await server.exited.catch(() => undefined);
    return;
  }
  while (isProcessAlive(server.pid)) await sleep(100);
}
