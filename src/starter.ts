#!/usr/bin/env node
/** `dcp`: the command line of datacosmos-purchase (the command tree is src/cli/program.ts). */
import './runtime/compile-cache';
import { CommanderError } from 'commander';
import { flushed } from './cli/output';
import { buildProgram } from './cli/program';
import { CliError, ExitCode } from './shared/errors';
import { oneLine } from './shared/one-line';

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? ExitCode.OK : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the usage problem (or the help text, which exits 0).
      return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`dcp: ${oneLine(message)}\n`);
    return err instanceof CliError ? err.exitCode : ExitCode.FAILURE;
  }
}

// A reader that goes away (`dcp list --json | head`) ends the output, not the process with a stack trace.
process.stdout.on('error', () => undefined);

void main(process.argv).then(async (code) => {
  // Everything written reaches the reader before the exit: on a pipe, stdout is asynchronous.
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
});
