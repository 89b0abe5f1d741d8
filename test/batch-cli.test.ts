/**
 * `dcp batch` end to end (the dcp program against a worker, configured through the environment): an item
 * file with an unknown item finishes with the "some items failed" exit code and JSON + CSV reports with one
 * row per item; a malformed file is one clear line and exit 2; `batch status` reports the finished batch.
 */
import { execFile } from 'node:child_process';
import { settingsEnvironment } from '../src/config/settings';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PurchaseEnv } from './support/purchase-env';

const DCP = path.resolve(__dirname, '../dist/src/starter.js');
let env: PurchaseEnv;
let dir: string;

beforeAll(async () => {
  env = await PurchaseEnv.start();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-batch-cli-'));
}, 60_000);

afterAll(async () => {
  await env?.close();
});

function dcp(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const vars = { PATH: process.env.PATH as string, ...settingsEnvironment(env.settings) };
  return new Promise((resolve) => {
    execFile(process.execPath, [DCP, ...args], { env: vars, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('an item file with an unknown item: exit 8, one report row per item in JSON and CSV, status works', async () => {
  const items = await env.items(4);
  const file = path.join(dir, 'items.csv');
  fs.writeFileSync(
    file,
    ['collection,item', ...items.map((i) => `${i.collection},${i.item}`), 'menut-l1c-cogs,NO_SUCH_ITEM'].join('\n'),
  );
  const reportDir = path.join(dir, 'reports');
  const run = await dcp([
    'batch',
    '--items',
    file,
    '--budget',
    '100000',
    '--items-per-order',
    '2',
    '--batch-id',
    'cli-b1',
    '--report',
    reportDir,
    '--json',
  ]);
  expect(run.stderr).toBe('dcp: batch cli-b1 finished with 1 failed item(s)\n'); // the one line that says why
  expect(run.code).toBe(8);
  const result = JSON.parse(run.stdout);
  expect(result.counts).toMatchObject({ PAID: 4, FAILED: 1 });
  expect(result.items.find((i: { item: string }) => i.item === 'NO_SUCH_ITEM').reason).toBe(
    'unknown item menut-l1c-cogs/NO_SUCH_ITEM',
  );
  const csv = fs.readFileSync(path.join(reportDir, 'cli-b1.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('collection,item,outcome,price,orderId,reason,delivery');
  expect(csv).toHaveLength(6);
  expect(JSON.parse(fs.readFileSync(path.join(reportDir, 'cli-b1.json'), 'utf8')).items).toHaveLength(5);

  const status = await dcp(['batch', 'status', 'cli-b1', '--json']);
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({
    batchId: 'cli-b1',
    phase: 'COMPLETED',
    counts: { PAID: 4, FAILED: 1 },
  });

  // The same batch id attaches to the finished batch: nothing is bought again.
  const again = await dcp(['batch', '--items', file, '--budget', '100000', '--batch-id', 'cli-b1', '--json']);
  expect(again.code).toBe(8);
  expect((await env.admin.orders(1001)).filter((o) => o.items.some((i) => i.item === items[0].item))).toHaveLength(1);
}, 60_000);

test('a malformed item file or missing budget: one line naming the problem, exit 2', async () => {
  const file = path.join(dir, 'bad.ndjson');
  fs.writeFileSync(file, '{"collection":"menut-l1c-cogs","item":"A"}\nnot json\n');
  const bad = await dcp(['batch', '--items', file, '--budget', '10']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/^dcp: bad\.ndjson line 2: invalid JSON .*\n$/);
  const noBudget = await dcp(['batch', '--items', file]);
  expect(noBudget).toMatchObject({ code: 2, stderr: 'dcp: --budget is required\n' });
});
