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

/** The table between the markers of a text, or null when the markers are missing. */
export function tableIn(text: string): string | null {
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start) return null;
  return text.slice(start + TABLE_START.length, end).trim();
}

/** The text with today's table between its markers. */
export function withTable(text: string): string {
  const start = text.indexOf(TABLE_START);
  const end = text.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no "${TABLE_START}" ... "${TABLE_END}" block`);
  return `${text.slice(0, start + TABLE_START.length)}\n\n${settingsTable()}\n\n${text.slice(end)}`;
}

if (require.main === module) {
  fs.writeFileSync(README, withTable(fs.readFileSync(README, 'utf8')));
  process.stdout.write(`README.md: settings table written (${SETTINGS.length} settings)\n`);
}
