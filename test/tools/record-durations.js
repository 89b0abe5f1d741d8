/**
 * Writes test/durations.json, each test file's duration in ms in a run, from jest's JSON report:
 * `npm run test:durations` runs the jest tier and records it. The known-durations sequencer starts long files first.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const [report] = process.argv.slice(2);
if (!report) {
  process.stderr.write('record-durations: name the jest JSON report (jest --json --outputFile FILE)\n');
  process.exit(2);
}
const { testResults } = JSON.parse(fs.readFileSync(report, 'utf8'));
const durations = Object.fromEntries(
  testResults
    .map((result) => [path.relative(ROOT, result.name), Math.round(result.endTime - result.startTime)])
    .sort(([a], [b]) => a.localeCompare(b)),
);
fs.writeFileSync(path.join(ROOT, 'test/durations.json'), `${JSON.stringify(durations, null, 2)}\n`);
process.stdout.write(`test/durations.json: ${testResults.length} files\n`);
