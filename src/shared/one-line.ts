/**
 * Text from outside (option values, file contents, event fields) in one-line messages: escaped as in a JSON string,
 * so a newline or a control character cannot split or garble the line, and shortened, so a huge value cannot flood
 * it. Pure.
 */

/** Control and format characters (bidi overrides, zero-width marks), line and paragraph separators, lone surrogates. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
const UNPRINTABLES = new RegExp(UNPRINTABLE.source, 'gu');

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function escapeUnprintable(char: string): string {
  return (
    SHORT_ESCAPES[char] ??
    [...Array(char.length).keys()].map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')
  );
}

/**
 * `value` between quotes, escaped as in a JSON string (with `"`, `JSON.parse` reads it back), and when its escaped
 * form is longer than `max`, cut there with an ellipsis and the original length: `"abc…" (5242880 characters)`.
 */
export function quoteValue(value: string, { max = 80, quote = '"' }: { max?: number; quote?: '"' | "'" } = {}): string {
  let shown = '';
  let taken = 0;
  for (const char of value) {
    const piece =
      char === quote || char === '\\' ? `\\${char}` : UNPRINTABLE.test(char) ? escapeUnprintable(char) : char;
    if (shown.length + piece.length > max) break;
    shown += piece;
    taken += char.length;
  }
  return taken === value.length ? `${quote}${shown}${quote}` : `${quote}${shown}…${quote} (${value.length} characters)`;
}

/** A message as one line: line breaks and other unprintable characters left in it are escaped, nothing is cut. */
export function oneLine(message: string): string {
  return message.trimEnd().replace(UNPRINTABLES, escapeUnprintable);
}
