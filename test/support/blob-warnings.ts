/**
 * The Temporal server's own word on payload sizes: it logs a warning for every payload over 512 KB
 * (`limit.blobSize.warn`). A run of the tests must leave none; the teardowns read the server's log for them.
 */
import fs from 'node:fs';

const WARNING = /exceeds the warning limit|Blob data size exceeds/i;

/** Throws, naming the first one, when the log holds blob-size warnings. */
export function expectNoBlobWarnings(logFile: string): void {
  if (!fs.existsSync(logFile)) return;
  const warnings = fs
    .readFileSync(logFile, 'utf8')
    .split('\n')
    .filter((line) => WARNING.test(line));
  if (warnings.length > 0) {
    throw new Error(`the Temporal server warned of ${warnings.length} payload(s) over 512 KB, first: ${warnings[0]}`);
  }
}
