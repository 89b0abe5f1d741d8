/**
 * Docs that stay true: README.md and docs/*.md checked against the repository and today's `dcp`. The conventions
 * each check enforces are in docs/development.md ("Docs that stay true").
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Argument, Command, Option } from 'commander';
import { commandLinesIn, isPlaceholder, joinContinuations, type CommandLine } from '../support/doc-commands';
import { figuresIn, STAMP } from '../support/doc-figures';
import { ownText, readDoc, sectionAt, type Doc } from '../support/markdown';
import { commandsOf, parseOnly } from '../support/parse-only';
import { buildProgram } from '../../src/cli/program';
import { PRODUCTION_VARIABLES } from '../../src/config/settings';
import { ITEM_OUTCOMES } from '../../src/shared/batch-types';
import { ExitCode } from '../../src/shared/errors';
import { NOTIFY_EVENTS } from '../../src/shared/notification-types';
import { PURCHASE_ENDS } from '../../src/shared/purchase-types';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { README, settingsTable, tableIn } from '../../harness/settings-table';

const ROOT = path.resolve(__dirname, '../..');
const FILES = [
  'README.md',
  ...fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const DOCS = FILES.map((file) => readDoc(ROOT, file));
const docOf = (file: string) => DOCS.find((doc) => doc.file === file) ?? readDoc(ROOT, file);
const at = (doc: Doc, line: number) => `${doc.file}:${line + 1}`;
const PROGRAM = buildProgram();
const STAMPS = DOCS.flatMap((doc) =>
  doc.lines.flatMap((text, line) => {
    const stamp = STAMP.exec(text);
    return stamp ? [{ doc, line, date: stamp[1], commit: stamp[2] }] : [];
  }),
);

test('every relative link resolves: the file exists, and an #anchor is a heading of it', () => {
  const broken: string[] = [];
  for (const doc of DOCS) {
    for (const { text: target, line } of doc.links) {
      if (/^[a-z][a-z+.-]*:/i.test(target)) continue;
      const [file, anchor] = target.split('#');
      const resolved = file === '' ? doc.file : path.normalize(path.join(path.dirname(doc.file), file));
      if (!fs.existsSync(path.join(ROOT, resolved))) broken.push(`${at(doc, line)}: ${target} (no ${resolved})`);
      else if (anchor !== undefined && !docOf(resolved).headings.some((h) => h.slug === anchor)) {
        broken.push(`${at(doc, line)}: ${target} (no heading #${anchor} in ${resolved})`);
      }
    }
  }
  expect(broken).toEqual([]);
});

test('every section named in quotes exists: (README, "Title"), ([file](file), "Title"), "Title" in [file](file)', () => {
  const missing: string[] = [];
  const named = [
    /\b(README)\.?,? "([^"]+)"/g,
    /\]\(([^)#\s]+\.md)\),? "([^"]+)"/g,
    /"([^"]+)" in \[[^\]]*\]\(([^)#\s]+\.md)\)/g,
  ];
  for (const doc of DOCS) {
    doc.lines.forEach((line, i) => {
      named.forEach((pattern, p) => {
        for (const match of line.matchAll(pattern)) {
          const [file, title] = p === 2 ? [match[2], match[1]] : [match[1], match[2]];
          const target = file === 'README' ? 'README.md' : path.normalize(path.join(path.dirname(doc.file), file));
          if (!docOf(target).headings.some((h) => h.text.replace(/`/g, '') === title)) {
            missing.push(`${at(doc, i)}: "${title}" is not a heading of ${target}`);
          }
        }
      });
    });
  }
  expect(missing).toEqual([]);
});

/** Every file and directory of the repository, but dependencies, builds and git's own. */
function repositoryPaths(dir = ''): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    if (['node_modules', 'dist', '.git', '.data'].includes(entry.name)) return [];
    const relative = path.posix.join(dir, entry.name);
    return entry.isDirectory() ? [relative, ...repositoryPaths(relative)] : [relative];
  });
}

test('every repository path in inline code exists (`*`, <name> and {a,b} match a name, ... any rest)', () => {
  const paths = repositoryPaths();
  const gitignore = fs.readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n');
  const ignored = gitignore.filter((line) => line.endsWith('/')).map((line) => line.replace(/^\//, ''));
  // Files a user makes and git ignores (`*.env`: settings with credentials) are named but never committed.
  const userFiles = gitignore.filter((line) => /^\*\.\w+$/.test(line)).map((line) => line.slice(1));
  const missing: string[] = [];
  for (const doc of DOCS) {
    for (const { text, line } of doc.inlineCode) {
      if (!/^(src|test|docs|bench|deploy|local|simulator|\.ci)\/\S*$/.test(text)) continue;
      if (ignored.some((place) => text.startsWith(place))) continue;
      if (userFiles.some((extension) => text.endsWith(extension))) continue;
      const pattern = text
        .replace(/\/$/, '')
        .split(/(<[^>]+>|\*|\{[^}]*\}|\.\.\.)/)
        .map((part) => {
          if (part === '...') return '.+';
          if (/^(\*|<.*>|\{.*\})$/.test(part)) return '[^/]+';
          return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
        })
        .join('');
      if (!paths.some((file) => new RegExp(`^${pattern}$`).test(file))) missing.push(`${at(doc, line)}: ${text}`);
    }
  }
  expect(missing).toEqual([]);
});

test('every `npm run` names a script of package.json, and no arguments go to a script that runs one program twice', () => {
  const scripts: Record<string, string> = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts;
  const wrong: string[] = [];
  for (const doc of DOCS) {
    doc.lines.forEach((line, i) => {
      for (const match of line.matchAll(/\bnpm (?:run ([\w:.-]+)|(test))( --(?!\w))?/g)) {
        const name = match[1] ?? match[2];
        const script = scripts[name];
        if (script === undefined) {
          wrong.push(`${at(doc, i)}: npm run ${name} (no such script)`);
          continue;
        }
        // Arguments after `--` reach only the script's last command; with the same program earlier, they miss it.
        const programs = script.split('&&').map((command) => command.trim().split(/\s+/)[0]);
        if (match[3] && programs.slice(0, -1).includes(programs[programs.length - 1])) {
          wrong.push(
            `${at(doc, i)}: npm ${match[1] ? `run ${name}` : name} -- ... (the arguments reach only "${script.split('&&').pop()?.trim()}")`,
          );
        }
      }
    });
  }
  expect(wrong).toEqual([]);
});

/** Every visible command of `dcp` with its path (`batch status`). */
function commandPaths(): Array<{ command: Command; path: string }> {
  const walk = (command: Command, prefix: string[]): Array<{ command: Command; path: string }> =>
    command.commands
      .filter((c) => !(c as unknown as { _hidden: boolean })._hidden)
      .flatMap((c) => [{ command: c, path: [...prefix, c.name()].join(' ') }, ...walk(c, [...prefix, c.name()])]);
  return walk(PROGRAM, []);
}

/** `dcp PATH` in a text; `exact`: not as the start of one of its sub-commands (`dcp batch status` is not `dcp batch`). */
function mentionOf(command: Command, commandPath: string, { exact }: { exact: boolean }): RegExp {
  const subcommands = command.commands.map((c) => c.name());
  const notSub = exact && subcommands.length > 0 ? `(?! (?:${subcommands.join('|')})\\b)` : '';
  return new RegExp(`\\bdcp ${commandPath}(?![\\w-])${notSub}`);
}

test('every command is named: top-level ones in the README\'s "Commands", sub-commands in the docs', () => {
  const readme = docOf('README.md');
  const commands = readme.sections.find((s) => s.heading.text === 'Commands');
  const table = commands ? readme.lines.slice(commands.start, commands.end).join('\n') : '';
  const everything = DOCS.map((doc) => doc.lines.join('\n')).join('\n');
  const unnamed = commandPaths()
    .filter(({ command, path: commandPath }) => {
      const where = commandPath.includes(' ') ? everything : table;
      return !mentionOf(command, commandPath, { exact: false }).test(where);
    })
    .map(({ path: commandPath }) => `dcp ${commandPath}`);
  expect(unnamed).toEqual([]);
});

test('every option of every command appears in a section that names the command', () => {
  const sections = DOCS.flatMap((doc) => doc.sections.map((section) => ownText(doc, section)));
  const absent: string[] = [];
  for (const { command, path: commandPath } of commandPaths()) {
    const mention = mentionOf(command, commandPath, { exact: true });
    const naming = sections.filter((text) => mention.test(text));
    for (const option of command.options as Option[]) {
      if (!option.long || option.hidden) continue;
      const flag = new RegExp(`${option.long}(?![\\w-])`);
      if (!naming.some((text) => flag.test(text))) absent.push(`dcp ${commandPath} ${option.long}`);
    }
  }
  expect(absent).toEqual([]);
});

/** Lets a placeholder through every option and argument parser as the first sample value that parser accepts. */
function acceptPlaceholders(program: Command): void {
  const samples = [
    'x1',
    'c/i',
    '250',
    '72h',
    '5',
    '2026-01-01T00:00:00Z',
    '0,0,1,1',
    'EUR',
    'file.json',
    'https://hooks.example.com',
  ];
  for (const command of commandsOf(program)) {
    for (const target of [...(command.options as Option[]), ...(command.registeredArguments as Argument[])]) {
      const parse = target.parseArg;
      if (!parse) continue;
      const accepts = (value: string) => {
        try {
          parse(value, undefined);
          return true;
        } catch {
          return false;
        }
      };
      target.parseArg = <T>(value: string, previous: T): T => {
        if (!isPlaceholder(value)) return parse(value, previous) as T;
        const sample = [...(target.argChoices ?? []), ...samples].find(accepts) ?? value;
        return parse(sample, previous) as T;
      };
    }
  }
}

/** Errors an inline span may have: it can show part of a command (required parts left out, an option named bare). */
const PARTIAL = [
  'commander.missingArgument',
  'commander.missingMandatoryOptionValue',
  'commander.optionMissingArgument',
];

async function problemOf(line: CommandLine): Promise<string | undefined> {
  // `dcp approve` alone names the command.
  let node: Command | undefined = PROGRAM;
  for (const word of line.variants[0]) node = node?.commands.find((c) => c.name() === word);
  if (node && line.inline) return undefined;
  for (const words of line.variants) {
    const parsed = await parseOnly(words, acceptPlaceholders);
    if (parsed.command || parsed.error?.exitCode === 0) continue;
    if (line.inline && parsed.error && PARTIAL.includes(parsed.error.code)) continue;
    return `dcp ${words.join(' ')}: ${parsed.stderr.trim()}`;
  }
  return undefined;
}

test("every dcp command line shown parses with today's dcp", async () => {
  const lines: Array<{ where: string; line: CommandLine }> = [];
  for (const doc of DOCS) {
    for (const { text, line } of joinContinuations(doc.codeLines)) {
      for (const found of commandLinesIn(text, false)) lines.push({ where: at(doc, line), line: found });
    }
    for (const { text, line } of doc.inlineCode) {
      for (const found of commandLinesIn(text, true)) lines.push({ where: at(doc, line), line: found });
    }
  }
  expect(lines.length).toBeGreaterThan(50);
  const problems: string[] = [];
  for (const { where, line } of lines) {
    const problem = await problemOf(line);
    if (problem) problems.push(`${where}: ${problem}`);
  }
  expect(problems).toEqual([]);
});

test('every measured figure is under a stamp naming the date and the commit it was measured at', () => {
  const unstamped: string[] = [];
  for (const doc of DOCS) {
    // A stamp covers the section whose own text holds it, subsections included.
    const covered = doc.lines.map(() => false);
    for (const stamp of STAMPS.filter((s) => s.doc === doc)) {
      const section = sectionAt(doc, stamp.line);
      for (let k = section?.start ?? 0; k < (section?.end ?? doc.lines.length); k++) covered[k] = true;
    }
    doc.lines.forEach((line, i) => {
      const figures = covered[i] ? [] : figuresIn(line);
      if (figures.length > 0) unstamped.push(`${at(doc, i)}: ${figures.join(', ')}`);
    });
  }
  expect(unstamped).toEqual([]);
  const badDates = STAMPS.filter(({ date }) => Number.isNaN(Date.parse(`${date}T00:00:00Z`)));
  expect(badDates.map(({ doc, line, date }) => `${at(doc, line)}: ${date}`)).toEqual([]);
});

const inGitCheckout = fs.existsSync(path.join(ROOT, '.git'));

(inGitCheckout ? test : test.skip)('every stamp names a commit of this history, dated no later than the stamp', () => {
  const wrong: string[] = [];
  for (const { doc, line, date, commit } of STAMPS) {
    try {
      const committed = execFileSync('git', ['show', '-s', '--format=%cs', `${commit}^{commit}`], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      if (committed > date) wrong.push(`${at(doc, line)}: ${commit} was committed ${committed}, after ${date}`);
    } catch {
      wrong.push(`${at(doc, line)}: no commit ${commit}`);
    }
  }
  expect(wrong).toEqual([]);
});

test('the README settings table is the one the code has (`npm run docs:settings` writes it)', () => {
  const readme = fs.readFileSync(README, 'utf8');
  expect(tableIn(readme)).toBe(settingsTable());
});

test('the README names exactly the variables that switch the local stack off', () => {
  const readme = fs.readFileSync(README, 'utf8');
  const sentence = readme.slice(readme.indexOf('When **none** of'), readme.indexOf('is set, they use the local stack'));
  const named = [...sentence.matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]);
  expect([...named].sort()).toEqual([...PRODUCTION_VARIABLES].sort());
});

/** A doc's text from the first `from` to the next `to` (the end of its paragraph or table unless given). */
function passage(file: string, from: string, to = '\n\n'): string {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const start = text.indexOf(from);
  if (start < 0) throw new Error(`${file} no longer has "${from}"`);
  return text.slice(start, text.indexOf(to, start));
}

/** The search attributes a passage names, each with the type written after it (`A`, `B` (Keyword); `A` as Keyword). */
function attributesIn(text: string): Record<string, string | null> {
  const named: Record<string, string | null> = {};
  let untyped: string[] = [];
  for (const [, name, type] of text.matchAll(/`(\w+)`|\b(KeywordList|Keyword|Double|Int|Text|Datetime|Bool)\b/g)) {
    if (name) {
      named[name] = null;
      untyped.push(name);
    } else {
      for (const each of untyped) named[each] = type;
      untyped = [];
    }
  }
  return named;
}

test('where the docs list the search attributes, they list every one the code registers, with its type', () => {
  const typed = Object.fromEntries(Object.entries(SEARCH_ATTRIBUTES));
  expect(attributesIn(passage('README.md', 'The namespace must have the search attributes', ', e.g.'))).toEqual(typed);
  expect(attributesIn(passage('docs/production.md', 'registers the search', 'With SQL'))).toEqual(typed);
  const named = attributesIn(passage('README.md', '**Visible**: search attributes', ' answer `temporal'));
  expect(Object.keys(named).sort()).toEqual(Object.keys(SEARCH_ATTRIBUTES).sort());
});

test("docs/batches.md's outcomes of an item are the batch's, every one and no other", () => {
  const outcomes = [...passage('docs/batches.md', '**Outcomes**').matchAll(/`([A-Z_]+)`/g)].map((m) => m[1]);
  expect(outcomes).toEqual([...ITEM_OUTCOMES]);
});

test("the README's table of exit codes has a row for every code dcp uses, and for no other", () => {
  const rows = [...passage('README.md', '| exit | meaning |').matchAll(/^\| (\d+) \| /gm)].map((row) => Number(row[1]));
  expect(rows).toEqual(Object.values(ExitCode).sort((a, b) => a - b));
});

test("the notification events, in docs/batches.md's table and in the published schema, are the workflows'", () => {
  const table = passage('docs/batches.md', '| event (`type`) |');
  expect([...table.matchAll(/^\| `([a-z_]+)` \|/gm)].map((row) => row[1])).toEqual([...NOTIFY_EVENTS]);

  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/notification.schema.json'), 'utf8')) as {
    properties: { type: { enum: string[] } };
    allOf: Array<{ if: { properties: { type: { const?: string } } }; then: { properties: Record<string, unknown> } }>;
  };
  expect(schema.properties.type.enum).toEqual([...NOTIFY_EVENTS]);
  const ended = schema.allOf.find((rule) => rule.if.properties.type.const === 'purchase_ended');
  const facts = ended?.then.properties.facts as { properties: { end: { enum: string[] } } };
  expect(facts.properties.end.enum).toEqual([...PURCHASE_ENDS]);
});
