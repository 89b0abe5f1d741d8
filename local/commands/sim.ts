/** `dcp sim`: the DataCosmos simulator in the foreground, every option passed through to it. */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { waitForExit } from '../child-process';
import { simulatorProgram } from '../simulator-process';
import { CliError, type ExitCode } from '../../src/shared/errors';

export async function runSimulator(args: string[]): Promise<number> {
  const child = spawn(process.execPath, [simulatorProgram(), ...args], { stdio: 'inherit' });
  // The simulator stops cleanly on these; relay them so it does so even when only we were signalled.
  const relay = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', relay);
  process.on('SIGTERM', relay);
  try {
    const { code, signal } = await waitForExit(child);
    const exitCode = code ?? 128 + (signal ? os.constants.signals[signal] : 0);
    // The simulator said why on its own stderr; the last line is dcp's, as for every failing command.
    if (exitCode !== 0 && signal === null) {
      throw new CliError(`the simulator exited with code ${exitCode}`, exitCode as ExitCode);
    }
    return exitCode;
  } finally {
    process.off('SIGINT', relay);
    process.off('SIGTERM', relay);
  }
}
