/** `dcp demo`, the README's main job: a fresh local stack and three purchases, exit 0, nothing left running. */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../local/ports';

const DCP = path.resolve(__dirname, '../dist/src/starter.js');

test('dcp demo completes a credits, a card and an approved purchase, prints the Web UI links and stops', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-demo-test-'));
  const ports = { temporal: await freePort(), ui: await freePort(), sim: await freePort() };
  const args = [
    'demo',
    '--data-dir',
    dataDir,
    '--port',
    `${ports.temporal}`,
    '--ui-port',
    `${ports.ui}`,
    '--sim-port',
    `${ports.sim}`,
  ];
  const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [DCP, ...args], { timeout: 180_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const summary = run.stdout.split('\n').filter((line) => /^COMPLETED +demo-/.test(line));
  expect(summary).toHaveLength(3);
  expect(summary.join('\n')).toMatch(/-credits +http:\/\/127\.0\.0\.1:\d+\/namespaces\/default\/workflows\/demo-/);
  expect(run.stdout).toContain('via NOT_REQUIRED');
  expect(run.stdout).toContain('via CARD');
  expect(run.stdout).toContain('AWAITING_APPROVAL');
  expect(run.stdout).toContain(`Temporal Web UI: http://127.0.0.1:${ports.ui}`);
  expect(fs.existsSync(path.join(dataDir, 'stack.json'))).toBe(false); // stopped and cleaned up
}, 200_000);
