/**
 * `dcp completion bash|zsh|fish`: a completion script for the shell, generated from the command tree itself
 * (commands, sub-commands, options, and the choices of options that have them), so it never falls behind.
 */
import type { Command, Option } from 'commander';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Node {
  /** `batch status` for a sub-command; '' for the program itself. */
  path: string;
  description: string;
  subcommands: Array<{ name: string; description: string }>;
  options: Array<{ flag: string; description: string; choices: string[]; takesValue: boolean }>;
}

function walk(command: Command, path: string[] = []): Node[] {
  const visible = command.commands.filter((c) => !(c as unknown as { _hidden?: boolean })._hidden);
  const node: Node = {
    path: path.join(' '),
    description: command.description(),
    subcommands: visible.map((c) => ({ name: c.name(), description: firstLine(c.description()) })),
    options: (command.options as Option[])
      .filter((o) => o.long && !o.hidden)
      .map((o) => ({
        flag: o.long as string,
        description: firstLine(o.description),
        choices: o.argChoices ?? [],
        takesValue: o.required || o.optional,
      })),
  };
  return [node, ...visible.flatMap((c) => walk(c, [...path, c.name()]))];
}

function firstLine(text: string): string {
  return text.split('\n')[0].replace(/\s+/g, ' ').trim();
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

export function completionScript(program: Command, shell: Shell): string {
  const nodes = walk(program);
  if (shell === 'fish') return fishScript(nodes);
  return shell === 'bash' ? bashScript(nodes) : zshScript(nodes);
}

/** The deepest command path among the words typed so far, as a case of the shell function. */
function bashCases(nodes: Node[]): string {
  return nodes
    .map((node) => {
      const words = [...node.subcommands.map((s) => s.name), ...node.options.map((o) => o.flag), '--help'];
      const valued = node.options.filter((o) => o.choices.length > 0);
      const choiceCases = valued
        .map((o) => `        ${o.flag}) COMPREPLY=($(compgen -W ${quote(o.choices.join(' '))} -- "$cur")); return ;;`)
        .join('\n');
      return [
        `    ${quote(node.path)})`,
        choiceCases ? `      case "$prev" in\n${choiceCases}\n      esac` : '',
        `      COMPREPLY=($(compgen -W ${quote(words.join(' '))} -- "$cur")) ;;`,
      ]
        .filter(Boolean)
        .join('\n');
    })
    .join('\n');
}

/**
 * The loop bash and zsh share: it walks the words before the cursor (`words` from index `first` up to `end`) and
 * builds the command path, telling a command word from an option value by the sub-command names per path.
 */
function commandPathLoop(nodes: Node[], words: string, first: number, end: string): string {
  const table = nodes
    .filter((node) => node.subcommands.length > 0)
    .map((node) => `    ${quote(node.path)}) subs=${quote(node.subcommands.map((s) => s.name).join(' '))} ;;`)
    .join('\n');
  return `  for ((i = ${first}; i < ${end}; i++)); do
    word="\${${words}[i]}"
    subs=""
    case "$path" in
${table}
    esac
    if [[ " $subs " == *" $word "* ]]; then path="\${path:+$path }$word"; fi
  done`;
}

function bashScript(nodes: Node[]): string {
  return `# dcp completion for bash: eval "$(dcp completion bash)" (or save it under bash_completion.d)
_dcp_completion() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" subs word i
${commandPathLoop(nodes, 'COMP_WORDS', 1, 'COMP_CWORD')}
  case "$path" in
${bashCases(nodes)}
  esac
}
complete -o default -F _dcp_completion dcp
`;
}

function zshScript(nodes: Node[]): string {
  return `#compdef dcp
# dcp completion for zsh: eval "$(dcp completion zsh)" (or save it as _dcp in a directory of $fpath)
_dcp() {
  local cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}" path="" subs word i
  local -a reply
${commandPathLoop(nodes, 'words', 2, 'CURRENT')}
  case "$path" in
${nodes
  .map((node) => {
    const words = [...node.subcommands.map((s) => s.name), ...node.options.map((o) => o.flag), '--help'];
    const choices = node.options
      .filter((o) => o.choices.length > 0)
      .map((o) => `        ${o.flag}) reply=(${o.choices.join(' ')}); compadd -a reply; return ;;`)
      .join('\n');
    return [
      `    ${quote(node.path)})`,
      choices ? `      case "$prev" in\n${choices}\n      esac` : '',
      `      reply=(${words.join(' ')}) ;;`,
    ]
      .filter(Boolean)
      .join('\n');
  })
  .join('\n')}
  esac
  compadd -a reply
}
compdef _dcp dcp
`;
}

function fishScript(nodes: Node[]): string {
  const lines = [
    '# dcp completion for fish: dcp completion fish > ~/.config/fish/completions/dcp.fish',
    'complete -c dcp -f',
  ];
  for (const node of nodes) {
    const words = node.path ? node.path.split(' ') : [];
    // At the program level: no sub-command yet; below: exactly this path typed.
    const condition = words.length
      ? words.map((word) => `__fish_seen_subcommand_from ${word}`).join('; and ')
      : '__fish_use_subcommand';
    for (const sub of node.subcommands) {
      lines.push(`complete -c dcp -n ${quote(condition)} -a ${quote(sub.name)} -d ${quote(sub.description)}`);
    }
    for (const option of node.options) {
      const values = option.choices.length
        ? ` -x -a ${quote(option.choices.join(' '))}`
        : option.takesValue
          ? ' -r'
          : '';
      lines.push(
        `complete -c dcp -n ${quote(condition)} -l ${option.flag.slice(2)}${values} -d ${quote(option.description)}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
