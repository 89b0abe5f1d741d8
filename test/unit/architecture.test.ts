/**
 * The house rules, checked: no import circles, imports only in the allowed directions (.dependency-cruiser.cjs),
 * and a production build that holds the product alone (no simulator, no local stack).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLAIMS_QUEUE_WORKFLOW_TYPES, QUEUE_WORKFLOW_TYPES } from '../../src/shared/workflow-types';

const ROOT = path.resolve(__dirname, '../..');

interface Cruise {
  summary: { totalCruised: number; violations: Array<{ rule: { name: string }; from: string; to: string }> };
}

test('no circles, and every import points the allowed way', () => {
  // The same command `npm run lint` runs; exit 0 with JSON output, violations listed in the summary.
  const json = execFileSync(
    path.join(ROOT, 'node_modules/.bin/depcruise'),
    ['src', 'local', 'simulator', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const { summary } = JSON.parse(json) as Cruise;
  expect(summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  expect(summary.totalCruised).toBeGreaterThan(150);
}, 60_000);

test('the production build compiles the product only', () => {
  const product = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.product.json'), 'utf8'));
  expect(product.include).toEqual(['src/**/*.ts']);
  const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  expect(dockerfile).toMatch(/npm run build:product/);
});

test('the replay check samples every workflow type the worker registers', () => {
  const index = fs.readFileSync(path.join(__dirname, '../../src/workflows/index.ts'), 'utf8');
  const registered = [...index.matchAll(/export \{ (\w+) \}/g)].map((m) => m[1]);
  expect([...QUEUE_WORKFLOW_TYPES, ...CLAIMS_QUEUE_WORKFLOW_TYPES].sort()).toEqual(registered.sort());
});
