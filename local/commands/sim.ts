/** `dcp sim`: the DataCosmos simulator in the foreground, every option passed through to it. */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { waitForExit } from '../child-process';
import { simulatorProgram } from '../simulator-process';

export async function runSimulator(args: string[]): Promise<number> {
  const child = spawn(process.execPath, [simulatorProgram(), ...args], { stdio: 'inherit' });
  // The simulator stops cleanly on these; relay them so it does so even when only we were signalled.
  const relay = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', relay);
  process.on('SIGTERM', relay);
  try {
    const { code, signal } = await waitForExit(child);
    return code ?? 128 + (signal ? os.constants.signals[signal] : 0);
  } finally {
    process.off('SIGINT', relay);
    process.off('SIGTERM', relay);
  }
}
