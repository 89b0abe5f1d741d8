/**
 * `dcp dev` as a user runs it (the built program, free ports via flags): it prints where everything is,
 * writes stack.json, refuses taken ports without starting anything, stops every child on SIGTERM,
 * resumes on the same data dir (there with the worker, which then polls), and stops the rest when a child dies.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { isProcessAlive, waitForExit } from '../local/child-process';
import { assertPortFree } from '../local/ports';
import { LocalStack, readStackFile, stackFilePath } from '../src/config/stack-file';
import { ContractsResponse, OrderResponse, StacItemCollection, TokenResponse } from '../src/datacosmos/api-schemas';
import { paths, UNCONFIRMED_PATHS, withOrderId } from '../src/datacosmos/api-paths';
import { TASK_QUEUE } from '../src/shared/purchase-types';
import { freePorts, startDev, untilRunning, type Dev, type Ports } from './support/dev-process';
import { targetTaskQueue } from '../src/shared/target';
import { queuePollers } from '../src/workflow-client/task-queue-pollers';

jest.setTimeout(120_000);

const DCP = path.resolve(__dirname, '..', 'dist', 'src', 'starter.js');

/** pids of the programs dev started (Linux /proc), with their command lines. */
function childrenOf(pid: number): { pid: number; cmdline: string }[] {
  const listed = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return listed
    ? listed.split(' ').map((child) => ({
        pid: Number(child),
        cmdline: fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').replace(/\0/g, ' '),
      }))
    : [];
}

async function expectPortsFree(ports: Ports): Promise<void> {
  for (const port of Object.values(ports)) await assertPortFree(port, 'after dev');
}

// --- the simulator, spoken to as any DataCosmos client would -----------------------------------

async function call(url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function bearer(stack: LocalStack): Promise<Record<string, string>> {
  const { datacosmos } = stack;
  const body = {
    grant_type: 'client_credentials',
    client_id: datacosmos.clientId,
    client_secret: datacosmos.clientSecret,
    audience: 'https://beeapp.open-cosmos.com',
  };
  const token = TokenResponse.parse(
    await call(`${datacosmos.authUrl}${paths.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  );
  return { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' };
}

async function createOrder(stack: LocalStack): Promise<string> {
  const headers = await bearer(stack);
  const api = stack.datacosmos.apiUrl;
  const contracts = ContractsResponse.parse(
    await call(`${api}${paths.policies(stack.datacosmos.organisationId)}`, { headers }),
  ).data;
  const contract = contracts.find((c) => c.default_contract) ?? contracts[0];
  const search = { method: 'POST', headers, body: JSON.stringify({ limit: 1 }) };
  const [item] = StacItemCollection.parse(await call(`${api}${paths.stacSearch}`, search)).features;
  const order = {
    type: 'IMAGE',
    data: {
      order_line_items: [{ collection: item.collection, item: item.id, level: item.properties['processing:level'] }],
    },
    organisation: stack.datacosmos.organisationId,
    contract_id: contract.contract_id,
  };
  const created = await call(`${api}${paths.orders}`, { method: 'POST', headers, body: JSON.stringify(order) });
  return OrderResponse.parse(created).data.id;
}

async function getOrderId(stack: LocalStack, orderId: string): Promise<string> {
  const headers = await bearer(stack);
  const path = withOrderId(UNCONFIRMED_PATHS.orderGet, orderId);
  return OrderResponse.parse(await call(`${stack.datacosmos.apiUrl}${path}`, { headers })).data.id;
}

/** Waits until some worker polls the purchase task queue of the stack's simulator target for workflow tasks. */
async function untilWorkerPolls(client: Client, stack: LocalStack): Promise<void> {
  const taskQueue = targetTaskQueue(TASK_QUEUE, stack.datacosmos);
  while ((await queuePollers(client, taskQueue)).length === 0) {
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function withTemporal<T>(stack: LocalStack, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address: stack.temporal.address });
  try {
    return await fn(new Client({ connection, namespace: stack.temporal.namespace }));
  } finally {
    await connection.close();
  }
}

// --- the tests, in the order a developer lives them -----------------------------------------

let root: string;
let dataDir: string;
let ports: Ports;
let dev: Dev;
let orderId: string;
const workflowId = 'dev-stack-resume';

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-stack-'));
  dataDir = path.join(root, 'data');
  ports = await freePorts();
  dev = startDev(dataDir, ports);
  await untilRunning(dev);
});

afterAll(() => {
  if (dev.child.exitCode === null) dev.child.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

test('prints where everything is and writes stack.json', async () => {
  const out = dev.stdout();
  const sim = `http://127.0.0.1:${ports.sim}`;
  expect(out).toContain(`Temporal:   127.0.0.1:${ports.temporal}`);
  expect(out).toContain(`Web UI:     http://127.0.0.1:${ports.ui}`);
  expect(out).toContain(`Simulator:  ${sim}`);
  expect(out).toContain(`Checkout:   ${sim}/checkout/`);
  expect(out).toContain(stackFilePath(dataDir));
  expect(out).not.toContain('acme-secret-1001');

  expect(readStackFile(dataDir)).toEqual({
    version: 1,
    pid: dev.child.pid,
    startedAt: expect.any(String),
    temporal: { address: `127.0.0.1:${ports.temporal}`, namespace: 'default', uiUrl: `http://127.0.0.1:${ports.ui}` },
    simulator: { url: sim },
    datacosmos: {
      apiUrl: sim,
      authUrl: sim,
      clientId: 'acme-pipeline',
      clientSecret: 'acme-secret-1001',
      organisationId: 1001,
    },
    worker: { running: false },
  });
  expect((await fetch(`http://127.0.0.1:${ports.ui}`)).status).toBe(200);
});

test('refuses a taken port with exit 7 and one line, starting nothing', async () => {
  const otherDir = path.join(root, 'other');
  for (const [taken, what] of [
    ['sim', 'simulator'],
    ['temporal', 'Temporal server'],
    ['ui', 'Temporal Web UI'],
  ] as const) {
    const otherPorts = { ...(await freePorts()), [taken]: ports[taken] };
    const refused = startDev(otherDir, otherPorts);
    const exit = await waitForExit(refused.child);
    expect({ exit, stderr: refused.stderr() }).toEqual({
      exit: { code: 7, signal: null },
      stderr: `dcp: ${what}: port ${ports[taken]} is already in use\n`,
    });
    const untouched = Object.fromEntries(Object.entries(otherPorts).filter(([name]) => name !== taken));
    await expectPortsFree(untouched as unknown as Ports);
    expect(fs.existsSync(otherDir)).toBe(false);
  }
});

test('SIGTERM stops every child and removes stack.json', async () => {
  const stack = readStackFile(dataDir) as LocalStack;
  orderId = await createOrder(stack);
  await withTemporal(stack, (client) =>
    client.workflow.start('purchase', { taskQueue: 'no-worker', workflowId, args: [] }),
  );
  const children = childrenOf(dev.child.pid as number);
  expect(children.map((c) => c.cmdline).join('\n')).toMatch(/server start-dev[\s\S]*simulator\/main\.js/);

  dev.child.kill('SIGTERM');
  expect(await waitForExit(dev.child)).toEqual({ code: 0, signal: null });
  expect(children.filter((c) => isProcessAlive(c.pid))).toEqual([]);
  expect(fs.existsSync(stackFilePath(dataDir))).toBe(false);
  await expectPortsFree(ports);
});

test('started again on the same data dir, it resumes: the order and the workflow are still there', async () => {
  ports = await freePorts();
  dev = startDev(dataDir, ports, true);
  await untilRunning(dev);
  const stack = readStackFile(dataDir) as LocalStack;
  expect(stack.worker).toEqual({ running: true });
  expect(await getOrderId(stack, orderId)).toBe(orderId);
  const description = await withTemporal(stack, (client) => client.workflow.getHandle(workflowId).describe());
  expect(description.status.name).toBe('RUNNING');
  await withTemporal(stack, (client) => untilWorkerPolls(client, stack));
});

test('when a child dies, dev says which, stops the rest and exits 1', async () => {
  const children = childrenOf(dev.child.pid as number);
  const simulator = children.find((c) => c.cmdline.includes('simulator/main.js'));
  process.kill(simulator!.pid, 'SIGKILL');

  expect(await waitForExit(dev.child)).toEqual({ code: 1, signal: null });
  expect(children.map((c) => c.cmdline).join('\n')).toContain('worker.js');
  expect(dev.stderr()).toMatch(/^dcp: simulator was killed by SIGKILL unexpectedly \(log: .*simulator\.log\)\n$/);
  expect(children.filter((c) => isProcessAlive(c.pid))).toEqual([]);
  expect(fs.existsSync(stackFilePath(dataDir))).toBe(false);
  await expectPortsFree(ports);
});

test('`dcp sim` passes its options to the simulator and its exit code back', async () => {
  const args = [DCP, 'sim', '--port', '0', '--data-dir', path.join(root, 'sim')];
  const sim = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const [line] = (
    await new Promise<string>((resolve) => sim.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString())))
  ).split('\n');
  const { port } = JSON.parse(line) as { port: number };

  const taken = spawn(process.execPath, [DCP, 'sim', '--port', String(port), '--data-dir', path.join(root, 'sim2')]);
  let stderr = '';
  taken.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  expect(await waitForExit(taken)).toEqual({ code: 7, signal: null });
  // The simulator's own line, then dcp's final one.
  expect(stderr.trimEnd().split('\n').at(-1)).toBe('dcp: the simulator exited with code 7');

  sim.kill('SIGTERM');
  expect(await waitForExit(sim)).toEqual({ code: 0, signal: null });
});
