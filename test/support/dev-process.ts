/** `dcp dev` as a user runs it, as a child process on free ports: started, and waited for until it says it runs. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../local/ports';
import { stopChild } from './kill';

const DCP = path.resolve(__dirname, '../../dist/src/starter.js');

export interface Ports {
  temporal: number;
  ui: number;
  sim: number;
}

export interface Dev {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
}

export async function freePorts(): Promise<Ports> {
  return { temporal: await freePort(), ui: await freePort(), sim: await freePort() };
}

/** `dcp dev` on these ports and data dir; `env` replaces the environment it inherits (default: ours). */
export function startDev(dataDir: string, ports: Ports, worker = false, env: NodeJS.ProcessEnv = process.env): Dev {
  const args = [DCP, 'dev', ...(worker ? [] : ['--no-worker']), '--data-dir', dataDir];
  args.push('--port', String(ports.temporal), '--ui-port', String(ports.ui), '--sim-port', String(ports.sim));
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { child, stdout: () => stdout, stderr: () => stderr };
}

/** Resolves once dev says it runs; fails with its output if it exits first. */
export function untilRunning(dev: Dev): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (dev.stdout().includes('press Ctrl-C to stop')) resolve();
    };
    dev.child.stdout?.on('data', check);
    dev.child.once('exit', (code) => reject(new Error(`dcp dev exited with ${code}: ${dev.stderr()}`)));
  });
}

/** Stops dev as Ctrl-C would and waits until it has exited (at once when it has already, or never started). */
export async function stopDev(dev: Dev | undefined): Promise<void> {
  if (dev) await stopChild(dev.child, 'SIGTERM');
}
