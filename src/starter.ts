#!/usr/bin/env node
/** `dcp`: the command line of datacosmos-purchase. Each command lives in src/cli/ and registers itself here. */
import { Command, CommanderError } from 'commander';
import { CliError, ExitCode } from './shared/errors';
import { registerBatchCommands } from './cli/batch';
import { registerBuyCommand } from './cli/buy';
import { registerCatalogCommands } from './cli/catalog';
import { registerListCommands } from './cli/list';
import { registerManageCommands } from './cli/manage';
import { registerRedriveCommand } from './cli/redrive';
import { registerScheduleCommands } from './cli/schedule';
import { registerWebhookCommand } from './cli/webhook';
import { registerWorkerCommand } from './cli/worker';

/** Present in a clone of the repository (dist/local/), absent from the production image. */
const LOCAL_STACK_COMMANDS = '../local/commands';
const LOCAL_STACK_COMMAND_NAMES = ['demo', 'dev', 'sim', 'stack'];

/** demo, dev, sim and stack: the development commands when installed, otherwise a clear refusal naming why. */
function registerLocalStackCommands(program: Command): void {
  let local: { registerLocalStackCommands(program: Command): void } | undefined;
  try {
    local = require(LOCAL_STACK_COMMANDS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err;
  }
  if (local) return local.registerLocalStackCommands(program);
  for (const name of LOCAL_STACK_COMMAND_NAMES) {
    program
      .command(name, { hidden: true })
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new CliError(
          `${name} runs the local development stack, which this installation does not include (use a clone of the repository)`,
          ExitCode.USAGE,
        );
      });
  }
}

function buildProgram(): Command {
  const program = new Command('dcp')
    .description('Durable purchases of DataCosmos catalog imagery, on Temporal')
    .exitOverride()
    // Usage errors read like every other failure: one line, prefixed with the program name.
    .configureOutput({ outputError: (text, write) => write(`dcp: ${text.replace(/^error: /, '')}`) });
  registerLocalStackCommands(program);
  registerBuyCommand(program);
  registerBatchCommands(program);
  registerScheduleCommands(program);
  registerManageCommands(program);
  registerRedriveCommand(program);
  registerListCommands(program);
  registerCatalogCommands(program);
  registerWorkerCommand(program);
  registerWebhookCommand(program);
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
