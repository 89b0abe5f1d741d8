/**
 * Crashes: the worker killed with SIGKILL while ordering and while waiting for payment, and the Temporal
 * server restarted on its database file mid-wait. Every purchase still completes, with one order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TemporalDevServer } from '../local/temporal-server';
import { paymentCompletedSignal } from '../src/shared/purchase-messages';
import { kill9 } from './support/kill';
import { PurchaseEnv } from './support/purchase-env';
import { startInProcess, type InProcessSimulator } from '../harness/simulator';
import { buyThroughWorkerKill } from './support/worker-crash';
import { crashAndRestart, startOwnDevServer } from './support/temporal';

let sim: InProcessSimulator;

beforeAll(async () => {
  sim = await startInProcess();
});

afterAll(async () => {
  await sim?.close();
});

function ordersWith(item: string) {
  return sim.admin.ordersHolding(1001, item);
}

test('worker killed while the order is being created: a new worker finishes with exactly one order', async () => {
  const { result, orderIds } = await buyThroughWorkerKill(sim, 'order_create'); // the create request is in flight
  expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID' });
  expect(orderIds).toEqual([result.orderId]);
}, 60_000);

test('worker killed while awaiting payment: after a restart the payment is seen and the purchase completes', async () => {
  const env = await PurchaseEnv.start({ sim, worker: false });
  let worker = env.spawnWorkerProcess();
  await sim.admin.setCredits(1001, '0');
  try {
    const items = await env.items(1);
    const handle = await env.buy({ items });
    const waiting = await env.waitForStage(handle, 'AWAITING_PAYMENT');
    await kill9(worker);
    await sim.admin.payOrder(waiting.orderId as string);
    worker = env.spawnWorkerProcess();
    const result = await handle.result();
    expect(result).toMatchObject({ end: 'COMPLETED', orderId: waiting.orderId });
    expect(await ordersWith(items[0].item)).toHaveLength(1);
  } finally {
    await sim.admin.setCredits(1001, '100000');
    await kill9(worker);
    await env.close();
  }
}, 60_000);

test('Temporal server restarted on its database file mid-wait: the purchase resumes and completes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-crash-temporal-'));
  const dbFile = path.join(dir, 'temporal.db');
  let server: TemporalDevServer = await startOwnDevServer(dbFile);
  const env = await PurchaseEnv.start({ sim, worker: false, temporalAddress: server.address });
  let worker = env.spawnWorkerProcess();
  await sim.admin.setCredits(1001, '0');
  try {
    const items = await env.items(1);
    const handle = await env.buy({ items, poll: { firstMs: 500, factor: 1, capMs: 500 } });
    const waiting = await env.waitForStage(handle, 'AWAITING_PAYMENT');

    await kill9(worker);
    server = await crashAndRestart(server, dbFile);
    worker = env.spawnWorkerProcess();
    await sim.admin.payOrder(waiting.orderId as string);
    await handle.signal(paymentCompletedSignal);
    const result = await handle.result();
    expect(result).toMatchObject({ end: 'COMPLETED', orderId: waiting.orderId, orderStatus: 'PAID' });
    expect(await ordersWith(items[0].item)).toHaveLength(1);
  } finally {
    await sim.admin.setCredits(1001, '100000');
    await kill9(worker);
    await env.close();
    await server.stop();
  }
}, 120_000);
