/**
 * The command tree of `dcp`. Command definitions (src/cli/commands/) load only the option parsers; what a command
 * does is loaded when it runs, so `dcp --help` and quick commands start fast.
 */
import { Argument, Command } from 'commander';
import { CliError, ExitCode } from '../shared/errors';
import { registerBatchCommands, registerScheduleCommands } from './commands/batch';
import { registerBuyCommands } from './commands/buy';
import { registerDataCosmosCommands } from './commands/datacosmos';
import { registerDeployCommands } from './commands/deploy';
import { registerLimitCommands } from './commands/limits';
import { registerProcessCommands } from './commands/processes';
import { registerPurchaseCommands } from './commands/purchases';
import { completionScript, SHELLS, type Shell } from './completion';
import { usageErrorLine } from './usage-error';

/** Present in a clone of the repository (dist/local/), absent from the production image. */
const LOCAL_STACK_COMMANDS = '../../local/commands';
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

export function buildProgram(): Command {
  const program = new Command('dcp')
    .description('Durable purchases of DataCosmos catalog imagery, on Temporal')
    .exitOverride()
    // Usage errors read like every other failure: one line, prefixed with the program name.
    .configureOutput({ outputError: (text, write) => write(`dcp: ${usageErrorLine(text)}\n`) });
  registerLocalStackCommands(program);
  registerBuyCommands(program);
  registerBatchCommands(program);
  registerScheduleCommands(program);
  registerPurchaseCommands(program);
  registerLimitCommands(program);
  registerDataCosmosCommands(program);
  registerProcessCommands(program);
  registerDeployCommands(program);
  program
    .command('completion')
    .description('print a completion script: eval "$(dcp completion bash)", or zsh, or fish')
    .addArgument(new Argument('<shell>', 'the shell that completes dcp').choices(SHELLS))
    .action((shell: Shell) => {
      process.stdout.write(completionScript(program, shell));
    });
  return program;
}
