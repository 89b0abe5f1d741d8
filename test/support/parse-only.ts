/**
 * The real `dcp` command tree, parsing only: a command line is checked (commands, options and their values,
 * required arguments and options) as `dcp` checks it, output is captured, and no action runs.
 */
import { CommanderError, type Command } from 'commander';
import { buildProgram } from '../../src/cli/program';

export interface Parsed {
  /** The command whose action would have run; absent when parsing stopped (an error, or help printed). */
  command?: Command;
  error?: CommanderError;
  stdout: string;
  stderr: string;
}

/** A command and every command below it. */
export function commandsOf(command: Command): Command[] {
  return [command, ...command.commands.flatMap(commandsOf)];
}

/** Stops parsing where an action would start. */
class ParsedUpTo {
  constructor(readonly command: Command) {}
}

/** Parses `args` (the words after `dcp`); `prepare` may change the tree first (e.g. wrap option parsers). */
export async function parseOnly(args: string[], prepare?: (program: Command) => void): Promise<Parsed> {
  const program = buildProgram();
  const out = { stdout: '', stderr: '' };
  for (const command of commandsOf(program)) {
    command.configureOutput({ writeOut: (text) => (out.stdout += text), writeErr: (text) => (out.stderr += text) });
  }
  program.hook('preAction', (_program, actionCommand) => {
    throw new ParsedUpTo(actionCommand);
  });
  prepare?.(program);
  try {
    await program.parseAsync(args, { from: 'user' });
    return out;
  } catch (err) {
    if (err instanceof ParsedUpTo) return { ...out, command: err.command };
    if (err instanceof CommanderError) return { ...out, error: err };
    throw err;
  }
}
