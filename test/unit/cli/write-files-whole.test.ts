/** A report's files are written all whole or none: a write that fails leaves neither a part file nor half a report. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFilesWhole } from '../../../src/cli/output';

test('one file that cannot be written: none is, and no .part is left; else all are, whole', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-whole-'));
  const json = path.join(dir, 'b.json');
  fs.writeFileSync(json, 'the earlier report');
  const files = [
    { file: json, text: 'new report' },
    { file: path.join(dir, 'no-such-dir', 'b.csv'), text: 'rows' },
  ];
  expect(() => writeFilesWhole(files)).toThrow(/ENOENT/);
  expect(fs.readdirSync(dir).sort()).toEqual(['b.json']);
  expect(fs.readFileSync(json, 'utf8')).toBe('the earlier report');

  writeFilesWhole([files[0], { file: path.join(dir, 'b.csv'), text: 'rows' }]);
  expect(fs.readdirSync(dir).sort()).toEqual(['b.csv', 'b.json']);
  expect(fs.readFileSync(json, 'utf8')).toBe('new report');
  fs.rmSync(dir, { recursive: true, force: true });
});
