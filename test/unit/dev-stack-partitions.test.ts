/** The dev stack's task queue partitions: one for a new database, and a database keeps the count it was made with. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { taskQueuePartitions } from '../../local/dev-stack';
import { temporalDevServerArgs } from '../../local/temporal-server';

const dataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-partitions-'));
/** What every dev server start passes besides the options a test varies. */
const base = { cliPath: 'temporal', port: 7233, namespace: 'default', headless: true };

test('a new data dir gets one partition per task queue, and keeps it', () => {
  const dir = dataDir();
  expect(taskQueuePartitions(dir)).toBe(1);
  fs.writeFileSync(path.join(dir, 'temporal.db'), '');
  expect(taskQueuePartitions(dir)).toBe(1);
});

test('a database made before the count was recorded keeps the four it was made with', () => {
  const dir = dataDir();
  fs.writeFileSync(path.join(dir, 'temporal.db'), '');
  expect(taskQueuePartitions(dir)).toBe(4);
  expect(taskQueuePartitions(dir)).toBe(4);
  // Its database removed, the data dir starts afresh with one.
  fs.rmSync(path.join(dir, 'temporal.db'));
  expect(taskQueuePartitions(dir)).toBe(1);
});

test('the dev server is started with the partitions asked for, one by default', () => {
  const values = (args: string[]) => args.filter((arg) => arg.startsWith('matching.numTaskqueue'));
  expect(values(temporalDevServerArgs(base))).toEqual([
    'matching.numTaskqueueReadPartitions=1',
    'matching.numTaskqueueWritePartitions=1',
  ]);
  expect(values(temporalDevServerArgs({ ...base, taskQueuePartitions: 4 }))).toEqual([
    'matching.numTaskqueueReadPartitions=4',
    'matching.numTaskqueueWritePartitions=4',
  ]);
});

test('the dev server fires a timer when it is due, not up to a second later', () => {
  const args = temporalDevServerArgs(base);
  expect(args[args.indexOf('history.timerProcessorMaxTimeShift="10ms"') - 1]).toBe('--dynamic-config-value');
});
