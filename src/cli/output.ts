/**
 * The stream contract of `dcp`: results on stdout (JSON with --json), progress and notes on stderr, and for every
 * non-zero exit one final stderr line `dcp: ...`. Output is flushed before the process exits, on pipes too.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';

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

/**
 * Writes the files all whole or none: each to a `.part` first, renamed into place once all are written. A write cut
 * short (a full disk) removes the parts and leaves what was there before, never a torso or half of a report.
 */
export function writeFilesWhole(files: ReadonlyArray<{ file: string; text: string }>): void {
  const parts: string[] = [];
  try {
    for (const { file, text } of files) {
      parts.push(`${file}.part`);
      writeFileSync(`${file}.part`, text);
    }
  } catch (err) {
    for (const part of parts) rmSync(part, { force: true });
    throw err;
  }
  for (const { file } of files) renameSync(`${file}.part`, file);
}
