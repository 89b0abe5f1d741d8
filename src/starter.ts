#!/usr/bin/env node
/** `dcp`: the command line of datacosmos-purchase. Each command lives in src/cli/ and registers itself here. */
import { Command, CommanderError } from 'commander';
import { CliError, ExitCode } from './cli/exit-codes';
import { registerBatchCommands } from './cli/batch';
import { registerBuyCommand } from './cli/buy';
import { registerCatalogCommands } from './cli/catalog';
import { registerDemoCommand } from './cli/demo';
import { registerDevCommand } from './cli/dev';
import { registerListCommands } from './cli/list';
import { registerManageCommands } from './cli/manage';
import { registerRedriveCommand } from './cli/redrive';
import { registerScheduleCommands } from './cli/schedule';
import { registerSimCommand } from './cli/sim';
import { registerWebhookCommand } from './cli/webhook';
import { registerWorkerCommand } from './cli/worker';

function buildProgram(): Command {
  const program = new Command('dcp')
    .description('Durable purchases of DataCosmos catalog imagery, on Temporal')
    .exitOverride()
    // Usage errors read like every other failure: one line, prefixed with the program name.
    .configureOutput({ outputError: (text, write) => write(`dcp: ${text.replace(/^error: /, '')}`) });
  registerDemoCommand(program);
  registerBuyCommand(program);
  registerBatchCommands(program);
  registerScheduleCommands(program);
  registerManageCommands(program);
  registerRedriveCommand(program);
  registerListCommands(program);
  registerCatalogCommands(program);
  registerWorkerCommand(program);
  registerWebhookCommand(program);
  registerDevCommand(program);
  registerSimCommand(program);
  return program;
}

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? ExitCode.OK : Number(process.exitCode);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed the usage problem (or the help text, which exits 0).
      return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (err instanceof CliError) {
      process.stderr.write(`dcp: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`dcp: ${err instanceof Error ? err.message : String(err)}\n`);
    return ExitCode.FAILURE;
  }
}

main(process.argv).then((code) => process.exit(code));
