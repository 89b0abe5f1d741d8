/**
 * Where the API cannot settle an order's fate, the purchase rests in NEEDS_ATTENTION: it says what it knows, never
 * creates a second order, never ends FAILED while its order may be paid, and is resolved by an operator
 * (`dcp adopt`, `dcp cancel`) or by a later try once the configuration is fixed. Against the documented API
 * variant (no order list).
 */
import { adoptOrderUpdate } from '../src/shared/purchase-messages';
import type { PurchaseStatus } from '../src/shared/purchase-types';
import { until } from '../harness/until';
import { runDcp } from './support/dcp';
import { PurchaseEnv } from './support/purchase-env';
import { ACME, startInProcess, type InProcessSimulator } from '../harness/simulator';

let sim: InProcessSimulator;
let env: PurchaseEnv;

beforeAll(async () => {
  sim = await startInProcess();
  await sim.admin.setSettings({ apiVariant: 'documented' });
  env = await PurchaseEnv.start({ sim, worker: false });
}, 60_000);

afterAll(async () => {
  await env?.close();
  await sim?.close();
});

afterEach(async () => {
  await sim.admin.setFaults({});
  await env.stopWorkers();
});

const ordersOf = (item: string) => sim.admin.ordersHolding(ACME.organisation, item);

test('a lost create reply with no order list: NEEDS_ATTENTION, listed and explained; a wrong order is refused, the right one adopted', async () => {
  await env.startWorker();
  await sim.admin.setFaults({ seed: 4, endpoints: { order_create: { lostReply: 1 } } });
  const [item, other] = await env.items(2);
  const handle = await env.buy({ items: [item] });
  const waiting = await env.waitForStage(handle, 'NEEDS_ATTENTION');
  expect(waiting).toMatchObject({
    orderId: null,
    attention: { reason: expect.stringMatching(/DATACOSMOS_ORDER_LIST_PATH/) },
  });
  await sim.admin.setFaults({});

  // Operators find it by stage, and `dcp status` says what to do.
  let listed: Array<{ purchaseId: string }> = [];
  for (let i = 0; i < 50 && !listed.some((p) => p.purchaseId === handle.workflowId); i++) {
    listed = JSON.parse((await runDcp(env.settings, ['list', '--stage', 'NEEDS_ATTENTION', '--json'])).stdout);
  }
  expect(listed.map((p) => p.purchaseId)).toContain(handle.workflowId);
  const status = await runDcp(env.settings, ['status', handle.workflowId]);
  expect(status.stdout).toContain('NEEDS_ATTENTION');
  expect(status.stdout).toContain(`dcp adopt ${handle.workflowId} --order ORDER_ID`);

  // An order of other items is not this purchase's.
  const wrong = await (await env.buy({ items: [other] })).result();
  const refused = await runDcp(env.settings, ['adopt', handle.workflowId, '--order', wrong.orderId as string]);
  expect(refused.code).toBe(2);
  expect(refused.stderr.trim()).toMatch(/^dcp: order \S+ cannot be adopted: its items \(.*\) are not the purchase's$/);
  expect((await env.status(handle)).stage).toBe('NEEDS_ATTENTION');

  const [lost] = await ordersOf(item.item);
  const adopted = await runDcp(env.settings, ['adopt', handle.workflowId, '--order', lost.id]);
  expect(adopted).toMatchObject({ code: 0 });
  const result = await handle.result();
  expect(result).toMatchObject({ end: 'COMPLETED', orderId: lost.id, orderStatus: 'PAID' });
  expect((await ordersOf(item.item)).map((o) => o.id)).toEqual([lost.id]);
}, 60_000);

test('cancelled while its create is unsettled: CANCELLED, saying an order may exist; nothing created again', async () => {
  await env.startWorker();
  await sim.admin.setFaults({ seed: 5, endpoints: { order_create: { lostReply: 1 } } });
  const [item] = await env.items(1);
  const handle = await env.buy({ items: [item] });
  await env.waitForStage(handle, 'NEEDS_ATTENTION');
  await expect(handle.executeUpdate(adoptOrderUpdate, { args: [{ orderId: 'has space' }] })).rejects.toMatchObject({
    cause: { message: expect.stringMatching(/orderId must be an order id/) },
  });
  const cancelled = await runDcp(env.settings, ['cancel', handle.workflowId, '--reason', 'checked by hand']);
  expect(cancelled.code).toBe(0);
  const result = await handle.result();
  expect(result.end).toBe('CANCELLED');
  expect(result.reason).toMatch(/never settled: check its orders for these items/);
  expect(await ordersOf(item.item)).toHaveLength(1);
}, 60_000);

test('a wait in NEEDS_ATTENTION that continues as new keeps what needs attention, and since when', async () => {
  await env.startWorker({ datacosmos: { paths: { orderGet: '/api/data/v0/order/nowhere/{order_id}' } } });
  const handle = await env.buy({
    items: await env.items(1),
    poll: { firstMs: 20, factor: 1, capMs: 20 },
    historyEventLimit: 100,
  });
  const first = await env.waitForStage(handle, 'NEEDS_ATTENTION', (s) => s.orderId !== null && s.runs === 0);
  const later = await until(
    'a later run',
    () => env.status(handle),
    (s) => s.runs >= 2,
  );
  expect(later).toMatchObject({ stage: 'NEEDS_ATTENTION', attention: first.attention });
  await env.stopWorkers();
  await env.startWorker();
  expect((await handle.result()).end).toBe('COMPLETED');
}, 60_000);

test('an order that cannot be read is never reported FAILED or EXPIRED: it waits in NEEDS_ATTENTION until it can be read', async () => {
  // A wrong order-details path: checkout works (credits pay at once), but the order cannot be read afterwards.
  await env.startWorker({ datacosmos: { paths: { orderGet: '/api/data/v0/order/nowhere/{order_id}' } } });
  const [item] = await env.items(1);
  const handle = await env.buy({ items: [item], paymentWindowMs: 300 });
  const stuck: PurchaseStatus = await env.waitForStage(
    handle,
    'NEEDS_ATTENTION',
    (s) => s.polls === 0 && s.orderId !== null,
  );
  expect(stuck.attention?.reason).toMatch(/DATACOSMOS_ORDER_GET_PATH/);
  const [order] = await ordersOf(item.item);
  expect(order.status).toBe('PAID');
  // Past its payment deadline it still waits, with its next read scheduled: the order is not known to be UNPAID.
  const pastDeadline = await env.waitForStage(
    handle,
    'NEEDS_ATTENTION',
    (s) => s.paymentDeadline !== null && Date.parse(s.nextCheckAt ?? '') > Date.parse(s.paymentDeadline),
  );
  expect(pastDeadline.orderStatus).not.toBe('PAID');

  // The path is fixed and the worker restarted: the next read settles it.
  await env.stopWorkers();
  await env.startWorker();
  const result = await handle.result();
  expect(result).toMatchObject({ end: 'COMPLETED', orderId: order.id, orderStatus: 'PAID' });
  expect(await ordersOf(item.item)).toHaveLength(1);
}, 60_000);
