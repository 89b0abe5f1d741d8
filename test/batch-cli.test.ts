/**
 * `dcp batch` end to end (the dcp program against a worker, configured through the environment): an item
 * file with an unknown item finishes with the "some items failed" exit code and JSON + CSV reports with one
 * row per item; a malformed file is one clear line and exit 2; `batch status` reports the finished batch.
 * With `--aoi`: a bad area is one line and exit 2; a dry run prints the plan and writes the map; a real run
 * reports the coverage it bought.
 */
import { execFile } from 'node:child_process';
import { settingsEnvironment } from '../src/config/settings';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { regionAoi } from './support/batch-env';
import { onePurchaseEnvPerFile, type PurchaseEnv } from './support/purchase-env';

const DCP = path.resolve(__dirname, '../dist/src/starter.js');
let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-batch-cli-'));

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
  expect(await env.admin.ordersHolding(1001, items[0].item)).toHaveLength(1);
}, 60_000);

test('a malformed item file or missing budget: one line naming the problem, exit 2', async () => {
  const file = path.join(dir, 'bad.ndjson');
  fs.writeFileSync(file, '{"collection":"menut-l1c-cogs","item":"A"}\nnot json\n');
  const bad = await dcp(['batch', '--items', file, '--budget', '10']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/^dcp: bad\.ndjson line 2: invalid JSON .*\n$/);
  const noBudget = await dcp(['batch', '--items', file]);
  expect(noBudget).toMatchObject({ code: 2, stderr: 'dcp: --budget is required\n' });
  // A report directory that cannot be written is refused before the batch starts, not after it has spent.
  const good = path.join(dir, 'one.ndjson');
  fs.writeFileSync(good, '"menut-l1c-cogs/A"\n');
  const notADir = path.join(dir, 'taken.json');
  fs.writeFileSync(notADir, '{}');
  const report = await dcp(['batch', '--items', good, '--budget', '10', '--report', notADir, '--batch-id', 'cli-rep']);
  expect(report).toMatchObject({
    code: 2,
    stderr: `dcp: --report ${notADir}: not a directory this command can write to (EEXIST)\n`,
  });
  await expect(env.client.workflow.getHandle('cli-rep').describe()).rejects.toThrow(/not found/i);
});

describe('dcp batch --aoi', () => {
  const writeAoi = (name: string, geometry: unknown) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, typeof geometry === 'string' ? geometry : JSON.stringify(geometry));
    return file;
  };

  test.each([
    ['not JSON', '{"type": "Polygon"', /^dcp: aoi-not-json\.geojson: is not JSON: .*\n$/],
    [
      'a Point',
      { type: 'Point', coordinates: [2, 41] },
      /^dcp: aoi-a-point\.geojson: type "Point" is not a Polygon or MultiPolygon\n$/,
    ],
    [
      'an unclosed ring',
      {
        type: 'Polygon',
        coordinates: [
          [
            [2, 41],
            [2.1, 41],
            [2.1, 41.1],
            [2, 41.1],
          ],
        ],
      },
      /^dcp: aoi-an-unclosed-ring\.geojson: coordinates\[0\]: ring is not closed: .*\n$/,
    ],
  ])(
    'a bad AOI file (%s): one line naming the file and the problem, exit 2, nothing started',
    async (name, geometry, message) => {
      const file = writeAoi(`aoi-${name.replace(/ /g, '-').toLowerCase()}.geojson`, geometry);
      const run = await dcp(['batch', '--aoi', file, '--budget', '100', '--dry-run']);
      expect(run).toMatchObject({ code: 2, stdout: '' });
      expect(run.stderr).toMatch(message);
    },
  );

  test('AOI options without --aoi, or --aoi with another input: exit 2', async () => {
    const items = path.join(dir, 'one.csv');
    fs.writeFileSync(items, 'collection,item\nmenut-l1c-cogs,A\n');
    expect(await dcp(['batch', '--items', items, '--budget', '10', '--min-coverage', '90'])).toMatchObject({
      code: 2,
      stderr: 'dcp: --min-coverage needs --aoi FILE\n',
    });
    const aoi = writeAoi('aoi.geojson', regionAoi(3).geometry);
    expect(await dcp(['batch', '--items', items, '--aoi', aoi, '--budget', '10'])).toMatchObject({
      code: 2,
      stderr: 'dcp: give exactly one of --search FILE, --items FILE or --aoi FILE\n',
    });
    const badPct = await dcp(['batch', '--aoi', aoi, '--budget', '10', '--min-coverage', '120']);
    expect(badPct.code).toBe(2);
    expect(badPct.stderr).toMatch(
      /option '--min-coverage <percent>' argument '120' is invalid\. must be a number from 0 to 100/,
    );
  });

  test('--dry-run prints the plan, writes the map and GeoJSON, buys nothing; a real run reports coverage', async () => {
    const aoi = writeAoi('field.geojson', { type: 'Feature', properties: {}, geometry: regionAoi(6, -8, 5).geometry });
    const reportDir = path.join(dir, 'coverage-report');
    const orders = (await env.admin.orders(1001)).length;
    const batchOf = (id: string, ...extra: string[]) =>
      dcp(['batch', '--aoi', aoi, '--budget', '100000', '--batch-id', id, '--report', reportDir, ...extra]);
    const plan = await batchOf('cli-aoi-plan', '--dry-run');
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(
      /^batch cli-aoi-plan: plan only \(--dry-run\), nothing bought\n {2}coverage (9[89]|100)\.\d+ % of /,
    );
    expect(plan.stdout).toMatch(/every intersecting scene whole \(\d+\): [\d.]+ EUR/);
    expect(plan.stdout).toMatch(
      /\n {2}1\. \d{4}-\d{2}-\d{2} [a-z]+-l1[cd]-cogs\/\S+: \+[\d.,]+ km², (clipped to|whole scene)/,
    );
    expect((await env.admin.orders(1001)).length).toBe(orders);
    const svg = fs.readFileSync(path.join(reportDir, 'coverage.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*viewBox=/);
    expect(svg).toContain('Coverage of batch cli-aoi-plan (plan)');
    const geojson = JSON.parse(fs.readFileSync(path.join(reportDir, 'coverage.geojson'), 'utf8'));
    expect(geojson.features.map((f: { properties: { role: string } }) => f.properties.role)).toContain('pick');
    const report = JSON.parse(fs.readFileSync(path.join(reportDir, 'cli-aoi-plan.json'), 'utf8'));
    expect(report.coverageFigures.planned.coveragePct).toBeGreaterThanOrEqual(98);
    expect(report.coverageFigures.reached).toEqual({ coveragePct: 0, boughtKm2: 0, cost: '0' });
    // What the dry run would buy, as its text lists it.
    expect(report.picks.length).toBeGreaterThanOrEqual(1);
    expect(report.picks[0]).toMatchObject({ item: expect.any(String), price: expect.any(String) });
    expect(plan.stdout).toContain(`${report.picks[0].collection}/${report.picks[0].item}`);
    expect(Number(report.coverageFigures.naiveCost)).toBeGreaterThan(Number(report.coverageFigures.planned.cost));

    const run = await batchOf('cli-aoi');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /\n {2}coverage (9[89]|100)\.\d+ % bought of (9[89]|100)\.\d+ % planned \(target 98\.0 %\) for [\d.]+/,
    );
    const bought = JSON.parse(fs.readFileSync(path.join(reportDir, 'cli-aoi.json'), 'utf8')).coverageFigures;
    expect(bought.reached.coveragePct).toBeGreaterThanOrEqual(98);
    expect(bought.reached.cost).toBe(bought.planned.cost);
    expect(fs.readFileSync(path.join(reportDir, 'coverage.svg'), 'utf8')).toContain('Coverage of batch cli-aoi<');
    const status = await dcp(['batch', 'status', 'cli-aoi']);
    expect(status.stdout).toMatch(/cli-aoi: COMPLETED .* \| coverage (9[89]|100)\.\d+ % bought of /);
  });
});
