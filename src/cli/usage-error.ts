/**
 * Commander's usage errors as the text of one `dcp:` line. Commander quotes what was typed as it came, so a value
 * holding a newline would split the line and a huge one flood it: each such quote is quoted again by quoteValue,
 * and commander's own line breaks (before "Did you mean ...") become spaces.
 */
import { oneLine, quoteValue } from '../shared/one-line';

/** Commander's messages that quote typed text: what comes before it, the text, what comes after. */
const TYPED_TEXT = [
  /^(option '[^']*' argument )'([\s\S]*)'( is invalid\.[\s\S]*)$/,
  /^(command-argument value )'([\s\S]*)'( is invalid for argument [\s\S]*)$/,
  /^(unknown (?:option|command) )'([\s\S]*)'([^']*)$/,
];

export function usageErrorLine(commanderText: string): string {
  const message = commanderText.replace(/^error: /, '').trimEnd();
  const own = (text: string) => text.replace(/\s*\n\s*/g, ' ');
  for (const pattern of TYPED_TEXT) {
    const match = pattern.exec(message);
    if (match) return oneLine(`${own(match[1])}${quoteValue(match[2], { quote: "'" })}${own(match[3])}`);
  }
  return oneLine(own(message));
}
