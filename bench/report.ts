/** Benchmark targets, and the markdown summary and SVG chart written beside the JSON results. */

export interface Check {
  name: string;
  value: number;
  unit: string;
  target: number;
  /** 'min': the value must reach the target; 'max': it must stay at or below it. */
  kind: 'min' | 'max';
}

export function passes(check: Check): boolean {
  return check.kind === 'min' ? check.value >= check.target : check.value <= check.target;
}

export function markdownSummary(title: string, checks: Check[], details: string[]): string {
  const rows = checks.map(
    (c) =>
      `| ${c.name} | ${c.value} ${c.unit} | ${c.kind === 'min' ? '>=' : '<='} ${c.target} ${c.unit} | ${passes(c) ? 'met' : '**missed**'} |`,
  );
  return [
    `# ${title}`,
    '',
    '| measure | value | target | |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    ...details,
    '',
  ].join('\n');
}

/** One bar per check: how far past its target it is (1.0 = exactly the target), capped at 2. */
export function svgChart(title: string, checks: Check[]): string {
  const barHeight = 26;
  const left = 330;
  const width = 760;
  const scale = (width - left - 70) / 2;
  const height = 60 + checks.length * barHeight;
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const bars = checks.map((c, i) => {
    const ratio = c.kind === 'min' ? c.value / c.target : c.target / Math.max(c.value, 1e-9);
    const shown = Math.max(0.02, Math.min(2, ratio));
    const y = 40 + i * barHeight;
    const colour = passes(c) ? '#2e7d32' : '#c62828';
    return [
      `<text x="${left - 8}" y="${y + 16}" text-anchor="end">${escape(c.name)}</text>`,
      `<rect x="${left}" y="${y + 4}" width="${(shown * scale).toFixed(1)}" height="${barHeight - 8}" fill="${colour}"/>`,
      `<text x="${left + shown * scale + 6}" y="${y + 16}">${c.value} ${escape(c.unit)}</text>`,
    ].join('');
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
    ...bars,
    `<line x1="${left + scale}" y1="34" x2="${left + scale}" y2="${height - 10}" stroke="#333" stroke-dasharray="4 3"/>`,
    `<text x="${left + scale + 4}" y="${height - 2}" font-size="10">target</text>`,
    '</svg>',
  ].join('\n');
}
