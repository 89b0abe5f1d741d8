/**
 * The `dcp` command lines a document shows, as argument lists to parse. The rules, strict but workable:
 *
 * - a command line is a line of a code block (`\` continues it) or an inline code span, cut at `#` comments and at
 *   `&&`, `||`, `;` and ` | ` (a pipe; in a table cell `\|` is one too), whose piece starts with `dcp ` or
 *   `npx dcp ` (after `NAME=value` assignments);
 * - a template is expanded: `[` and `]` are dropped (what is optional is shown), a lone `...` (more options) is
 *   dropped, and a word with alternatives `a|b|c` gives one line per alternative;
 * - a placeholder stands for any valid value: a word holding a capitalised placeholder name (`ID`, `C/I@LEVEL`,
 *   `ORDER_ID`, `DIR`, see PLACEHOLDERS), something in `<...>`, or an elision `...`. Every other value is parsed
 *   as written, so `--stage AWAITING_PAYMNT` fails.
 */

/** The capitalised names the documents use for values; `EUR`, `PAID` and other literal capitals are not here. */
export const PLACEHOLDERS = [
  'A',
  'C',
  'D',
  'DIR',
  'F',
  'I',
  'ID',
  'ITEM',
  'ITEM_ID',
  'K',
  'LEVEL',
  'N',
  'ORDER_ID',
  'PCT',
  'RANGE',
  'S',
  'T',
];

export interface CommandLine {
  /** The words after `dcp`, one list per alternative. */
  variants: string[][];
  /** As written in the document. */
  shown: string;
  /** In an inline span, which may show part of a command (required options and arguments left out). */
  inline: boolean;
}

export function isPlaceholder(word: string): boolean {
  if (/<[^>]+>|\.\.\./.test(word)) return true;
  return (word.match(/[A-Za-z0-9_]+/g) ?? []).some((part) => PLACEHOLDERS.includes(part));
}

/** The `dcp` command lines among these pieces of text (code block lines already joined, or inline spans). */
export function commandLinesIn(text: string, inline: boolean): CommandLine[] {
  const withoutComment = text.replace(/(^|\s)#.*$/, '');
  return withoutComment
    .split(/&&|\|\||;| \| /)
    .map((piece) => piece.trim().replace(/^(\w+=\S*\s+)+/, ''))
    .filter((piece) => /^(npx )?dcp /.test(piece))
    .map((piece) => ({ shown: piece, inline, variants: expand(shellWords(piece.replace(/^(npx )?dcp /, ''))) }));
}

/** Code block lines with their `\` continuations joined. */
export function joinContinuations(lines: Array<{ text: string; line: number }>): Array<{ text: string; line: number }> {
  const joined: Array<{ text: string; line: number }> = [];
  let pending: { text: string; line: number } | undefined;
  for (const { text, line } of lines) {
    const current = pending ? { text: `${pending.text} ${text.trim()}`, line: pending.line } : { text, line };
    if (/\\\s*$/.test(text)) pending = { text: current.text.replace(/\\\s*$/, ''), line: current.line };
    else {
      joined.push(current);
      pending = undefined;
    }
  }
  if (pending) joined.push(pending);
  return joined;
}

/** Words as a POSIX shell splits them, with single and double quotes. */
function shellWords(text: string): string[] {
  const words: string[] = [];
  // A placeholder in angle brackets is one word, spaces and all: `<time since deploy>`.
  for (const match of text.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*<[^>]*>\S*|\S+)/g)) {
    words.push(match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? match[3]));
  }
  return words;
}

function expand(words: string[]): string[][] {
  const choices = words
    .map((word) => word.replace(/[[\]]/g, ''))
    .filter((word) => word !== '' && word !== '...' && word !== '…')
    .map((word) => (isPlaceholder(word) ? [word] : word.split('|')));
  const count = Math.max(1, ...choices.map((alternatives) => alternatives.length));
  return [...Array(count).keys()].map((k) =>
    choices.map((alternatives) => alternatives[Math.min(k, alternatives.length - 1)]),
  );
}
