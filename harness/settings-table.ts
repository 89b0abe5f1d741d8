/**
 * The settings table of the README, written from the settings table of the code (src/config/setting-table.ts):
 * the docs test checks that the README holds exactly this, and `npm run docs:settings` writes it there.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SETTINGS, type Setting } from '../src/config/setting-table';

export const README = path.resolve(__dirname, '..', 'README.md');
export const TABLE_START =
  '<!-- settings table: written by `npm run docs:settings` from src/config/setting-table.ts -->';
export const TABLE_END = '<!-- end of the settings table -->';

function defaultCell(setting: Setting): string {
  if (setting.required) return '(required)';
  return setting.default === undefined ? '(unset)' : `\`${setting.default}\``;
}

/** One row per setting, in the code's order. */
export function settingsTable(): string {
  const rows = SETTINGS.map(
    (setting) => `| \`${setting.variable}\` | ${defaultCell(setting)} | ${setting.meaning.replace(/\|/g, '\\|')} |`,
  );
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** Where the table's text lies between the markers, or null when they are missing. */
function tableSpan(text: string): { start: number; end: number } | null {
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  return start < 0 || end < start ? null : { start: start + TABLE_START.length, end };
}

/** The table between the markers of a text, or null when the markers are missing. */
export function tableIn(text: string): string | null {
  const span = tableSpan(text);
  return span && text.slice(span.start, span.end).trim();
}

/** The text with today's table between its markers. */
export function withTable(text: string): string {
  const span = tableSpan(text);
  if (!span) throw new Error(`README.md has no "${TABLE_START}" ... "${TABLE_END}" block`);
  return `${text.slice(0, span.start)}\n\n${settingsTable()}\n\n${text.slice(span.end)}`;
}

if (require.main === module) {
  fs.writeFileSync(README, withTable(fs.readFileSync(README, 'utf8')));
  process.stdout.write(`README.md: settings table written (${SETTINGS.length} settings)\n`);
}
