/**
 * The Temporal dev server we run ourselves: it starts on free ports with our search attributes,
 * and restarting it on its database file (after a clean stop or a kill -9) keeps running workflows.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Connection, WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { isProcessAlive } from '../local/child-process';
import { startTemporalDevServer, TemporalDevServer } from '../local/temporal-server';
import {
  BatchIdKey,
  DataCosmosOrderIdKey,
  OrderStatusKey,
  OrganisationIdKey,
  PurchaseStageKey,
  TotalPriceKey,
} from '../src/shared/search-attributes';
import { connectTestClient, startOwnDevServer } from './support/temporal';

jest.setTimeout(120_000);

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-server-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// One value per registered attribute, of its registered type: setting them at start fails otherwise.
const attributes = new TypedSearchAttributes([
  { key: PurchaseStageKey, value: 'AWAITING_PAYMENT' },
  { key: OrderStatusKey, value: 'UNPAID' },
  { key: DataCosmosOrderIdKey, value: 'order-1' },
  { key: OrganisationIdKey, value: '1001' },
  { key: BatchIdKey, value: 'batch-1' },
  { key: TotalPriceKey, value: 12.5 },
]);

async function withClient<T>(address: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const connection = await Connection.connect({ address });
  try {
    return await fn(new Client({ connection, namespace: 'default' }));
  } finally {
    await connection.close();
  }
}

/** Starts a workflow that no worker runs: it stays Running, which is all a restart test needs. */
function startIdleWorkflow(client: Client, workflowId: string): Promise<WorkflowHandle> {
  return client.workflow.start('purchase', {
    taskQueue: 'no-worker',
    workflowId,
    args: [],
    typedSearchAttributes: attributes,
  });
}

async function expectStillRunning(server: TemporalDevServer, workflowId: string): Promise<void> {
  await withClient(server.address, async (client) => {
    const description = await client.workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
    expect(description.typedSearchAttributes.get(PurchaseStageKey)).toBe('AWAITING_PAYMENT');
    expect(description.typedSearchAttributes.get(TotalPriceKey)).toBe(12.5);
    expect(await listedAwaitingPayment(client)).toContain(workflowId);
  });
}

/** Workflow ids the visibility store lists as awaiting payment (it is updated asynchronously, so wait a little). */
async function listedAwaitingPayment(client: Client): Promise<string[]> {
  let ids: string[] = [];
  for (let attempt = 0; attempt < 40; attempt++) {
    ids = [];
    for await (const wf of client.workflow.list({ query: 'PurchaseStage="AWAITING_PAYMENT"' })) ids.push(wf.workflowId);
    if (ids.length > 0) return ids;
    await sleep(250);
  }
  return ids;
}

test('the shared test server accepts workflows with every search attribute', async () => {
  const client = await connectTestClient();
  try {
    const handle = await startIdleWorkflow(client, `shared-${process.pid}-${Date.now()}`);
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(OrganisationIdKey)).toBe('1001');
    await handle.terminate('test done');
  } finally {
    await client.connection.close();
  }
});

test('a restart on the same database, after a stop or a kill -9, keeps a running workflow', async () => {
  const dbFile = path.join(dir, 'restart.db');
  const first = await startOwnDevServer(dbFile);
  await withClient(first.address, (client) => startIdleWorkflow(client, 'survives-restarts'));
  await first.stop();
  expect(isProcessAlive(first.pid)).toBe(false);

  const second = await startOwnDevServer(dbFile);
  try {
    await expectStillRunning(second, 'survives-restarts');
    // Started with its garbage collector set (local/temporal-server.ts), as every dev server of ours is.
    const environment = fs.readFileSync(`/proc/${second.pid}/environ`, 'utf8').split('\0');
    expect(environment).toContain(`GOGC=${process.env.GOGC || '400'}`);
  } finally {
    second.kill();
    await second.exited;
  }

  const third = await startOwnDevServer(dbFile);
  try {
    await expectStillRunning(third, 'survives-restarts');
  } finally {
    await third.stop();
  }
});

test('the Web UI is served on the port asked for unless headless', async () => {
  const server = await startTemporalDevServer({ cliPath: process.env.TEMPORAL_TEST_CLI_PATH!, port: 0 });
  try {
    expect(server.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(server.uiUrl!);
    expect(response.status).toBe(200);
  } finally {
    await server.stop();
  }
});

test('a taken port fails the start with one clear line', async () => {
  const blocker = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const port = (blocker.address() as net.AddressInfo).port;
  try {
    const starting = startTemporalDevServer({ cliPath: process.env.TEMPORAL_TEST_CLI_PATH!, port, headless: true });
    await expect(starting).rejects.toThrow(/^Temporal dev server exited with code \d+ before it was ready: .+/);
  } finally {
    blocker.close();
  }
});
