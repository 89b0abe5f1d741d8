/**
 * Measured figures in documents, and the stamp that says when and on what code they were measured:
 * `Measured 2026-11-30 at abd38c1 (npm run bench -- --quick --only cost).`
 *
 * A measured figure is a time in ms or a decimal of seconds, a size in MB, work done per second, a percentile, a
 * ratio, a count of what the server does (persistence writes, workflow tasks, history events), or a decimal share;
 * numbers that set something read differently and are not taken for figures: a 30 s timeout, 16 MiB, a limit of
 * 50 req/s, "every 4,000 events", 100 ms of API latency.
 */

export const STAMP = /\bMeasured (\d{4}-\d{2}-\d{2}) at ([0-9a-f]{7,40})\b/;

const NUMBER = String.raw`\d[\d,]*(?:\.\d+)?`;

const FIGURES: RegExp[] = [
  // Times and memory: 431 ms, 2.2 s, 401 MB (a latency the simulator is told to add is a setting, not a figure).
  new RegExp(String.raw`${NUMBER} ?(?:ms|MB|GB)\b(?! (?:of )?(?:API )?latency)`, 'g'),
  new RegExp(String.raw`\d+\.\d+ ?s\b`, 'g'),
  // Work done per second: 15.2 purchases/s, 171 claims per second (request rates are mostly limits people set).
  new RegExp(String.raw`${NUMBER} ?(?:purchases|claims|items)/s\b`, 'g'),
  new RegExp(String.raw`${NUMBER} (?:purchases|claims|items) per second`, 'g'),
  // Percentiles and ratios: p50 431, ratio 0.72.
  new RegExp(String.raw`\bp(?:50|9\d) ${NUMBER}`, 'g'),
  new RegExp(String.raw`\bratio \**${NUMBER}`, 'g'),
  // What the server does: 11 persistence writes, 3 workflow tasks, 5.3 history events per item.
  new RegExp(
    String.raw`${NUMBER} (?:server )?(?:persistence writes|writes|workflow tasks|activity tasks|history events|events per)`,
    'g',
  ),
  // Shares: 62.6 %, 1.83 of 2 cores, 42 % of a core.
  new RegExp(String.raw`\d+\.\d+ ?%`, 'g'),
  new RegExp(String.raw`${NUMBER} of (?:\d )?cores?\b|${NUMBER} % of a core`, 'g'),
];

/** The measured figures in a line of text. */
export function figuresIn(line: string): string[] {
  return FIGURES.flatMap((pattern) => [...line.matchAll(pattern)].map((match) => match[0].trim()));
}
