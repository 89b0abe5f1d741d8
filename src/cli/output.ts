/**
 * The stream contract of `dcp`: results on stdout (JSON with --json), progress and notes on stderr, and for every
 * non-zero exit one final stderr line `dcp: ...`. Output is flushed before the process exits, on pipes too.
 */
import { renameSync, writeFileSync } from 'node:fs';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A note for the person at the terminal (stderr), never mixed into results. */
export function note(text: string): void {
  process.stderr.write(`note: ${text}\n`);
}

/** A plain aligned text table. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/**
 * Resolves once everything written to the stream has been handed to the OS. On a pipe stdout is asynchronous:
 * exiting before this would cut the output. A reader that went away (EPIPE) cannot be waited for.
 */
export function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) return resolve();
    stream.once('error', () => resolve());
    stream.write('', () => resolve());
  });
}

/** Writes the file whole or not at all: a write cut short (a full disk) leaves the `.part` beside it, never a torso. */
export function writeFileWhole(file: string, text: string): void {
  writeFileSync(`${file}.part`, text);
  renameSync(`${file}.part`, file);
}
