/**
 * The worker as operators run it: configured by the environment, JSON logs with the purchase and order
 * ids and never a secret, Prometheus metrics, a clean stop on SIGTERM, one-line configuration errors.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { settingsEnvironment } from '../src/config';
import { freePort } from '../src/local/ports';
import { PurchaseEnv } from './support/purchase-env';

const WORKER = path.resolve(__dirname, '../dist/worker.js');
let env: PurchaseEnv;

beforeAll(async () => {
  env = await PurchaseEnv.start({ worker: false });
}, 60_000);

afterAll(async () => {
  await env?.close();
});

function runWorker(vars: Record<string, string>) {
  const child = spawn(process.execPath, [WORKER], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, ...vars } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

test('logs are JSON with purchase and order ids and no secret; metrics are served; SIGTERM stops it cleanly', async () => {
  const metricsPort = await freePort();
  const worker = runWorker({ ...settingsEnvironment(env.settings), LOG_LEVEL: 'info', METRICS_PORT: String(metricsPort) });
  try {
    const result = await (await env.buy({ items: await env.items(1) })).result();
    expect(result.end).toBe('COMPLETED');

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^temporal_workflow_completed/m);
    expect(metrics).toMatch(/^temporal_activity_execution_latency/m);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const lines = worker.stderr().trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records[0]).toMatchObject({ msg: 'worker started', organisationId: 1001 });
    expect(records.find((r) => r.msg === 'order created')).toMatchObject({ workflowId: result.purchaseId, orderId: result.orderId });
    expect(records.at(-1)).toMatchObject({ msg: 'worker stopped' });
    const token = await env.token();
    for (const line of lines) {
      expect(line).not.toContain(env.account.clientSecret);
      expect(line).not.toContain(token);
    }
  } finally {
    worker.child.kill('SIGKILL');
  }
}, 60_000);

test('a bad variable is named in one line and exits 2; an unreachable Temporal exits 7', async () => {
  const bad = runWorker({ ...settingsEnvironment(env.settings), DATACOSMOS_ORGANISATION_ID: 'acme', METRICS_PORT: '99999' });
  expect(await bad.exited).toBe(2);
  expect(bad.stderr().trim()).toBe(
    'worker: invalid configuration: DATACOSMOS_ORGANISATION_ID the organisation id must be a positive whole number; METRICS_PORT must be a port number',
  );

  const unreachable = runWorker({ ...settingsEnvironment(env.settings), TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
  expect(await unreachable.exited).toBe(7);
  expect(unreachable.stderr().trim().split('\n').at(-1)).toMatch(/^worker: cannot reach Temporal at 127\.0\.0\.1:\d+/);
}, 60_000);
