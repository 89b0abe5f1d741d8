/**
 * `dcp stack production` as a user runs it (the built program, in the foreground): it prints where everything is,
 * `dcp` commands find it through DCP_DATA_DIR, a card purchase is paid on the checkout page and completed by the
 * webhook, and stopping and starting it again on the same data dir keeps every workflow, the waiting ones
 * still waiting.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runningServer } from '../../local/production-stack/server-process';
import { freePort } from '../../local/ports';
import { until } from '../../harness/until';

const DCP = path.resolve(__dirname, '../../dist/src/starter.js');
/** Temporal's ports are fixed at the first start (0: free ones); the simulator keeps its port, as its links do. */
const FREE_PORTS = ['--port', '0', '--postgres-port', '0', '--metrics-port', '0', '--webhook-port', '0'];

interface Running {
  child: ChildProcess;
  output: () => string;
}

let dataDir: string;
let simPort: number;
let running: Running | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-stack-command-'));
  simPort = await freePort();
});

afterAll(async () => {
  if (running) await stop(running);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function start(): Promise<Running> {
  const args = [
    'stack',
    'production',
    '--data-dir',
    dataDir,
    ...FREE_PORTS,
    '--sim-port',
    String(simPort),
    '--workers',
    '1',
  ];
  const child = spawn(process.execPath, [DCP, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', () => {
      if (output.includes('press Ctrl-C to stop')) resolve({ child, output: () => output });
    });
    child.once('exit', (code) => reject(new Error(`dcp stack production exited with ${code}: ${output}`)));
  });
}

async function stop(stack: Running): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => stack.child.once('exit', resolve));
  stack.child.kill('SIGTERM');
  const code = await exited;
  running = undefined;
  return code;
}

function dcp(...args: string[]): string {
  const run = spawnSync(process.execPath, [DCP, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DCP_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`dcp ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return run.stdout;
}

function stages(): Record<string, string> {
  const rows = JSON.parse(dcp('list', '--json')) as Array<{ purchaseId: string; stage: string }>;
  return Object.fromEntries(rows.map((row) => [row.purchaseId, row.stage]));
}

/** Waits until `dcp list` shows these purchases at these stages. */
function untilStages(what: string, expected: Record<string, string>): Promise<unknown> {
  const reached = (s: Record<string, string>) => Object.entries(expected).every(([id, stage]) => s[id] === stage);
  return until(what, async () => stages(), reached, 60_000);
}

/** Pays a purchase's order on the simulator's checkout page (its payment link), as its buyer would. */
async function payOnCheckoutPage(purchaseId: string): Promise<void> {
  // A status that shows no link (a worker not yet seen on the queue) is read again; the last one is in the failure.
  const { checkoutUrl } = await until(
    `the payment link of ${purchaseId} in dcp status`,
    async () => JSON.parse(dcp('status', purchaseId, '--json')) as { checkoutUrl?: string },
    (status) => typeof status.checkoutUrl === 'string',
  );
  const paid = await fetch(`${checkoutUrl}/pay`, { method: 'POST' });
  expect(paid.status).toBe(200);
}

test('runs the compose topology natively; stopped and started again, it keeps every workflow', async () => {
  running = await start();
  expect(running.output()).toMatch(/Temporal: +127\.0\.0\.1:\d+ \(namespace default, 4 history shards/);
  const [first, second] = JSON.parse(dcp('search', '--limit', '2', '--json')) as Array<{
    collection: string;
    id: string;
  }>;
  const buy = (item: { collection: string; id: string }) =>
    dcp('buy', '--item', `${item.collection}/${item.id}`, '--no-wait').trim().split('\n').pop() as string;
  const paid = buy(first);
  const waiting = buy(second);
  await untilStages('both purchases waiting for payment', {
    [paid]: 'AWAITING_PAYMENT',
    [waiting]: 'AWAITING_PAYMENT',
  });
  await payOnCheckoutPage(paid);
  await untilStages('the paid purchase completed', { [paid]: 'COMPLETED' });

  expect(await stop(running)).toBe(0);
  expect(runningServer(dataDir)).toBeUndefined();
  expect(spawnSync('pgrep', ['-f', path.join(dataDir, 'postgresql')]).status).toBe(1); // no PostgreSQL left

  running = await start();
  expect(stages()).toMatchObject({ [paid]: 'COMPLETED', [waiting]: 'AWAITING_PAYMENT' });
  await payOnCheckoutPage(waiting);
  await untilStages('the waiting purchase completed after the restart', { [waiting]: 'COMPLETED' });
  expect(fs.readFileSync(path.join(dataDir, 'webhook.log'), 'utf8')).toContain('payment event handled');
}, 300_000);
