/**
 * A Dockerfile as its stages, read strictly: only the instructions and forms below are understood, and anything
 * else (another instruction, a flag, a variable, a glob, a shell feature in RUN, a program RUN may not call) is an
 * error, so the Dockerfile cannot change without the interpreter (test/support/image-builder.ts) learning it.
 */

export type Instruction =
  | { op: 'WORKDIR'; path: string }
  | { op: 'ENV'; variables: Record<string, string> }
  | { op: 'COPY'; from?: string; sources: string[]; destination: string }
  /** `&&`-joined commands of plain words. */
  | { op: 'RUN'; commands: string[][] }
  | { op: 'USER'; user: string }
  | { op: 'CMD'; argv: string[] };

export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}

/** What RUN may call: programs the stand-in for the base image runs as the image would (base-image.ts). */
export const RUN_PROGRAMS: readonly string[] = ['npm', 'npx', 'mkdir', 'chown'];

const WORD = /^[\w./:=@+,%-]+$/;

/** Physical lines joined at trailing backslashes, without comment lines, each with the number it starts on. */
function logicalLines(text: string): Array<{ line: number; text: string }> {
  const lines: Array<{ line: number; text: string }> = [];
  let pending: { line: number; text: string } | undefined;
  text.split('\n').forEach((raw, index) => {
    if (/^\s*(#|$)/.test(raw)) return;
    const continued = raw.endsWith('\\');
    const part = continued ? raw.slice(0, -1) : raw;
    pending = pending ? { ...pending, text: `${pending.text} ${part.trim()}` } : { line: index + 1, text: part.trim() };
    if (!continued) {
      lines.push(pending);
      pending = undefined;
    }
  });
  if (pending) lines.push(pending);
  return lines;
}

function parseCopy(words: string[], stages: Stage[]): Instruction {
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift()!;
    const match = /^--from=(\S+)$/.exec(flag);
    if (!match) throw new Error(`COPY ${flag}: only --from=<stage> is understood`);
    if (!stages.some((stage) => stage.name === match[1]))
      throw new Error(`COPY ${flag}: no earlier stage of that name`);
    from = match[1];
  }
  if (words.length < 2 || words[0].startsWith('[')) throw new Error('COPY: only the form COPY <source>... <dest>');
  const destination = words.pop()!;
  for (const source of words) {
    if (/[*?[]/.test(source)) throw new Error(`COPY ${source}: wildcards are not understood`);
    if (source.split('/').includes('..')) throw new Error(`COPY ${source}: a source cannot leave its root`);
  }
  if (words.length > 1 && !destination.endsWith('/')) throw new Error('COPY: several sources need a directory (…/)');
  return { op: 'COPY', from, sources: words, destination };
}

function parseRun(text: string): Instruction {
  if (text.startsWith('[')) throw new Error('RUN: only the shell form is understood');
  const commands = text.split(/\s+&&\s+/).map((command) => command.split(/\s+/));
  for (const words of commands) {
    const odd = words.find((word) => !WORD.test(word));
    if (odd !== undefined) throw new Error(`RUN: ${odd}: only plain words joined by && are understood`);
    if (!RUN_PROGRAMS.includes(words[0])) throw new Error(`RUN: ${words[0]} is not one of ${RUN_PROGRAMS.join(', ')}`);
  }
  return { op: 'RUN', commands };
}

function parseCmd(text: string): Instruction {
  const argv: unknown = text.startsWith('[') ? JSON.parse(text) : undefined;
  if (!Array.isArray(argv) || !argv.every((arg) => typeof arg === 'string'))
    throw new Error('CMD: only the exec form ["program", "arg", ...] is understood');
  return { op: 'CMD', argv };
}

function parseInstruction(op: string, rest: string, stages: Stage[]): Instruction {
  switch (op) {
    case 'WORKDIR':
      if (!rest.startsWith('/')) throw new Error('WORKDIR: only absolute paths are understood');
      return { op, path: rest };
    case 'ENV': {
      const pairs = rest.split(/\s+/).map((pair) => /^(\w+)=([^\s"'\\]*)$/.exec(pair));
      if (pairs.some((pair) => !pair)) throw new Error('ENV: only NAME=value pairs without quotes are understood');
      return { op, variables: Object.fromEntries(pairs.map((pair) => [pair![1], pair![2]])) };
    }
    case 'COPY':
      return parseCopy(rest.split(/\s+/), stages);
    case 'RUN':
      return parseRun(rest);
    case 'USER':
      if (!/^[a-z_][\w-]*$/.test(rest)) throw new Error('USER: only a user name is understood');
      return { op, user: rest };
    case 'CMD':
      return parseCmd(rest);
    default:
      throw new Error(`${op} is not an instruction this interpreter knows`);
  }
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const { line, text: instruction } of logicalLines(text)) {
    const [, word, rest] = /^(\S+)\s*(.*)$/.exec(instruction)!;
    const op = word.toUpperCase();
    try {
      if (instruction.includes('$')) throw new Error('variables are not understood');
      if (op === 'FROM') {
        const match = /^(\S+)\s+AS\s+([a-z][\w.-]*)$/i.exec(rest);
        if (!match) throw new Error('FROM: only FROM <image> AS <name> is understood');
        if (stages.some((stage) => stage.name === match[1])) throw new Error('FROM <earlier stage>: not understood');
        stages.push({ base: match[1], name: match[2], instructions: [] });
      } else {
        const stage = stages.at(-1);
        if (!stage) throw new Error('an instruction before the first FROM');
        stage.instructions.push(parseInstruction(op, rest, stages.slice(0, -1)));
      }
    } catch (err) {
      throw new Error(`Dockerfile line ${line}: ${(err as Error).message}`);
    }
  }
  return stages;
}
