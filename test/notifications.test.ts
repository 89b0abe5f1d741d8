/**
 * Outbound notifications, end to end: purchases and a batch post signed events to their `--notify` URL and to the
 * worker's default, through a receiver that is down for a while (every event arrives once it is back, and `dcp
 * status` shows the deliveries still retrying meanwhile); the example receiver refuses forged and stale signatures;
 * a worker with nowhere to send starts no notification at all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { holdRequests } from '../harness/simulator';
import { until } from '../harness/until';
import { signatureHeader } from '../src/signature/hmac-signature';
import type { NotificationBody } from '../src/shared/notification-types';
import { retryingNotifications } from '../src/workflow-client/notification-client';
import { cancelSignal } from '../src/shared/purchase-messages';
import type { PurchaseInput } from '../src/shared/purchase-types';
import { WORKFLOW_TYPE } from '../src/shared/workflow-types';
import { regionAoi, runBatch } from './support/batch-env';
import { runDcp } from './support/dcp';
import { expectReplays } from './support/histories';
import { kill9 } from './support/kill';
import { FAST, onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';

const SECRET = 'notify-secret-for-the-tests-0123';
const RECEIVER = path.resolve(__dirname, '../examples/notify-receiver.mjs');
const validate = addFormats(new Ajv({ allErrors: true })).compile(
  JSON.parse(readFileSync(path.resolve(__dirname, '../docs/notification.schema.json'), 'utf8')),
);

/** The example receiver as its own process: the events it accepted, in order. */
class Receiver {
  readonly events: NotificationBody[] = [];
  private constructor(
    readonly process: ChildProcess,
    readonly url: string,
  ) {}

  static async start(port: number): Promise<Receiver> {
    const child = spawn(process.execPath, [RECEIVER], {
      env: { PATH: process.env.PATH, NOTIFY_SECRET: SECRET, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const receiver = new Receiver(child, `http://127.0.0.1:${port}/events`);
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) receiver.events.push(JSON.parse(line) as NotificationBody);
    });
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').includes('listening')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`receiver exited ${code}`)));
    });
    return receiver;
  }

  ids(): string[] {
    return this.events.map((event) => event.eventId);
  }

  async waitFor(ids: string[], timeoutMs = 90_000): Promise<void> {
    await until(
      `events ${ids.join(', ')}`,
      async () => this.ids(),
      (got) => ids.every((id) => got.includes(id)),
      timeoutMs,
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let env: PurchaseEnv;
let fallback: Receiver;
const receivers: Receiver[] = [];
onePurchaseEnvPerFile(
  async (started) => {
    env = started;
    fallback = await Receiver.start(await freePort());
    receivers.push(fallback);
    await env.startWorker({ worker: { notifyUrl: fallback.url, notifySecret: SECRET } });
  },
  { worker: false },
);
afterAll(async () => {
  for (const receiver of receivers) await kill9(receiver.process);
});

async function payOnCheckoutPage(checkoutUrl: string): Promise<void> {
  const paid = await fetch(`${checkoutUrl}/pay`, { method: 'POST' });
  expect(paid.status).toBeLessThan(400);
}

test('a receiver that is down for a while gets every event once it is back, and dcp status shows it failing', async () => {
  const port = await freePort(); // nothing listens there yet
  const notify = [`http://127.0.0.1:${port}/events`];
  const organisation = env.account.organisation;
  await env.admin.setCredits(organisation, '0');
  const paid = await env.buy({ items: await env.items(1), notify });
  // payment_deadline_near goes out at half the window, after the poll that finds it there: the other half must
  // outlast a poll on a loaded machine, or the poll finds the deadline passed and the purchase expires unwarned.
  const expiring = await env.buy({ items: await env.items(1), notify, paymentWindowMs: 10_000 });
  const waiting = await env.waitForStage(paid, 'AWAITING_PAYMENT');
  await env.waitForStage(expiring, 'AWAITING_PAYMENT');
  await env.admin.setCredits(organisation, '100000');
  await payOnCheckoutPage(waiting.checkoutUrl as string);
  const batch = await runBatch(env, { items: await env.items(2), budget: '100000', notify });
  expect((await paid.result()).end).toBe('COMPLETED');
  expect((await expiring.result()).end).toBe('EXPIRED');
  expect((await batch.result()).counts.PAID).toBe(2);

  // Down: the deliveries fail and are retried; dcp status names them with their last failure.
  const retrying = await until(
    'a failed delivery of the paid purchase',
    () => retryingNotifications(env.client, paid.workflowId),
    (found) => found.some((n) => n.eventId.endsWith('/purchase_ended') && n.attempt > 1),
  );
  expect(retrying.map((n) => n.eventId)).toContain(`notify/${paid.workflowId}/purchase_ended`);
  expect(retrying[0].lastFailure).toMatch(
    new RegExp(`notification notify/${paid.workflowId}/.*127\\.0\\.0\\.1:${port}`),
  );
  const status = await runDcp(env.settings, ['status', paid.workflowId]);
  expect(status.code).toBe(0);
  expect(status.stdout).toMatch(
    new RegExp(`notification notify/${paid.workflowId}/purchase_ended: not delivered yet, attempt \\d+`),
  );

  const batchRetrying = (text: string) =>
    new RegExp(`notification notify/${batch.workflowId}/batch_ended: not delivered yet, attempt \\d+`).test(text) &&
    text.includes(`notification notify/${batch.workflowId}/0/purchase_ended`); // its purchases' too
  await until(
    'dcp batch status naming the failed deliveries',
    async () => (await runDcp(env.settings, ['batch', 'status', batch.workflowId])).stdout,
    batchRetrying,
  );

  // Back: every event arrives.
  const receiver = await Receiver.start(port);
  receivers.push(receiver);
  const ids = [
    `notify/${paid.workflowId}/payment_link_ready`,
    `notify/${paid.workflowId}/purchase_ended`,
    `notify/${expiring.workflowId}/payment_link_ready`,
    `notify/${expiring.workflowId}/payment_deadline_near`,
    `notify/${expiring.workflowId}/purchase_ended`,
    `notify/${batch.workflowId}/batch_ended`,
    `notify/${batch.workflowId}/0/purchase_ended`,
    `notify/${batch.workflowId}/1/purchase_ended`,
  ];
  await receiver.waitFor(ids);
  await fallback.waitFor(ids); // the worker's default got them too
  expect(receiver.ids().sort()).toEqual([...ids].sort()); // each new event printed once
  for (const event of [...receiver.events, ...fallback.events]) {
    expect({ event, errors: validate(event) ? null : validate.errors }).toEqual({ event, errors: null });
  }
  const byId = new Map(receiver.events.map((event) => [event.eventId, event]));
  expect(byId.get(`notify/${paid.workflowId}/payment_link_ready`)).toMatchObject({
    type: 'payment_link_ready',
    purchaseId: paid.workflowId,
    facts: { orderId: waiting.orderId, checkoutUrl: waiting.checkoutUrl, paymentDeadline: waiting.paymentDeadline },
  });
  expect(byId.get(`notify/${paid.workflowId}/purchase_ended`)?.facts).toMatchObject({
    end: 'COMPLETED',
    orderStatus: 'PAID',
    orderId: waiting.orderId,
  });
  expect(byId.get(`notify/${expiring.workflowId}/purchase_ended`)?.facts).toMatchObject({ end: 'EXPIRED' });
  expect(byId.get(`notify/${batch.workflowId}/0/purchase_ended`)).toMatchObject({ batchId: batch.workflowId });
  expect(byId.get(`notify/${batch.workflowId}/batch_ended`)).toMatchObject({
    batchId: batch.workflowId,
    facts: { end: 'COMPLETED', counts: { PAID: 2 } },
  });
  // Neither the secret nor the worker's default URL is in any history: the worker adds them when it sends.
  for (const id of [paid.workflowId, `notify/${paid.workflowId}/purchase_ended`, batch.workflowId]) {
    const history = JSON.stringify(await env.client.workflow.getHandle(id).fetchHistory(), (key, value: unknown) =>
      key === 'data' && typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value,
    ); // payloads decoded
    expect(history).not.toContain(SECRET);
    expect(history).not.toContain(fallback.url);
    expect(history).toContain(notify[0]);
  }
  // Their histories, notifications and all, replay against the workflow code (deterministic).
  for (const id of [
    paid.workflowId,
    expiring.workflowId,
    batch.workflowId,
    `notify/${paid.workflowId}/purchase_ended`,
  ]) {
    await expectReplays(env.client.workflow.getHandle(id));
  }
  // Nothing is left retrying once the receiver is back.
  await until(
    'no delivery retrying',
    () => retryingNotifications(env.client, paid.workflowId),
    (found) => found.length === 0,
  );
}, 180_000);

test("needs attention, then cancelled: both events reach the worker's default URL, with what an operator can do", async () => {
  const before = await env.admin.settings();
  await env.admin.setSettings({ apiVariant: 'documented' }); // no order list: a lost create reply cannot be settled
  await env.admin.setFaults({ seed: 4, endpoints: { order_create: { lostReply: 1 } } });
  try {
    const handle = await env.buy({ items: await env.items(1) }); // no --notify: the default alone
    const waiting = await env.waitForStage(handle, 'NEEDS_ATTENTION');
    const attention = `notify/${handle.workflowId}/needs_attention-0.1`;
    await fallback.waitFor([attention]);
    expect(fallback.events.find((event) => event.eventId === attention)).toMatchObject({
      type: 'needs_attention',
      purchaseId: handle.workflowId,
      facts: { reason: waiting.attention?.reason, resolve: expect.stringContaining('`dcp adopt ID --order ORDER_ID`') },
    });
    await handle.signal(cancelSignal, 'not wanted');
    expect((await handle.result()).end).toBe('CANCELLED');
    const ended = `notify/${handle.workflowId}/purchase_ended`;
    await fallback.waitFor([ended]);
    expect(fallback.events.find((event) => event.eventId === ended)?.facts).toMatchObject({ end: 'CANCELLED' });
  } finally {
    await env.admin.setFaults({});
    await env.admin.setSettings({ apiVariant: before.apiVariant });
  }
}, 60_000);

test('a cancel that comes during checkout announces no payment link: the purchase ends CANCELLED', async () => {
  const organisation = env.account.organisation;
  const credits = await env.admin.credits(organisation);
  await env.admin.setCredits(organisation, '0'); // the checkout leaves a card payment's link
  try {
    const held = holdRequests(env.admin, 'order_checkout');
    const purchaseId = `p-${randomUUID()}`;
    const handle = await env.client.workflow.start(WORKFLOW_TYPE.purchase, {
      workflowId: purchaseId,
      taskQueue: env.taskQueue,
      workflowTaskTimeout: '2s', // handed in every 1.6 s while the checkout runs, not every 8 s
      args: [{ purchaseId, ...FAST, items: await env.items(1) } satisfies PurchaseInput],
    });
    await held;
    await env.waitForStage(handle, 'CHECKOUT');
    await handle.signal(cancelSignal, 'not wanted');
    // A slow checkout (run in the workflow task that decided it) holds the task open; the worker hands the task in
    // while it runs, and takes the cancel in the next. Once that task has started, the checkout goes through.
    await until(
      'the cancel taken while the checkout runs',
      async () => (await handle.fetchHistory()).events ?? [],
      (events) => {
        const signalled = events.findIndex((event) => event.workflowExecutionSignaledEventAttributes);
        return signalled >= 0 && events.slice(signalled).some((event) => event.workflowTaskStartedEventAttributes);
      },
    );
    await env.admin.setFaults({}); // the checkout goes through, with a link to pay
    expect(await handle.result()).toMatchObject({ end: 'CANCELLED', orderStatus: 'UNPAID' });
    await fallback.waitFor([`notify/${handle.workflowId}/purchase_ended`]);
    expect(fallback.ids()).not.toContain(`notify/${handle.workflowId}/payment_link_ready`);
  } finally {
    await env.admin.setFaults({});
    await env.admin.setCredits(organisation, credits);
  }
}, 60_000);

test('an area batch that reaches its coverage target says so, then that it ended', async () => {
  const handle = await runBatch(env, { coverage: { aoi: regionAoi(12).geometry }, budget: '100000', concurrency: 4 });
  const result = await handle.result();
  const coverage = result.coverage as NonNullable<typeof result.coverage>;
  expect(coverage.boughtPct).toBeGreaterThanOrEqual(coverage.targetPct);
  const reached = `notify/${handle.workflowId}/coverage_reached`;
  await fallback.waitFor([reached, `notify/${handle.workflowId}/batch_ended`]);
  const event = fallback.events.find((e) => e.eventId === reached);
  expect(event).toMatchObject({ type: 'coverage_reached', batchId: handle.workflowId });
  expect(event?.facts.boughtPct).toBeGreaterThanOrEqual(coverage.targetPct);
  expect(validate(event)).toBe(true);
}, 120_000);

test('the example receiver refuses a forged or stale signature and takes a repeated event once', async () => {
  const receiver = await Receiver.start(await freePort());
  receivers.push(receiver);
  const body = JSON.stringify({
    eventId: 'notify/p-forged/purchase_ended',
    type: 'purchase_ended',
    occurredAt: new Date().toISOString(),
    purchaseId: 'p-forged',
    facts: { end: 'COMPLETED', reason: null, orderId: null, orderStatus: null, total: null, currency: null },
  });
  const post = (signature: string) =>
    fetch(receiver.url, { method: 'POST', headers: { 'x-dcp-signature': signature }, body });
  const forged = await post(signatureHeader('not-the-secret-at-all-0123456789', body));
  expect(forged.status).toBe(401);
  expect(await forged.json()).toEqual({ refused: 'forged signature' });
  const stale = await post(signatureHeader(SECRET, body, Math.floor(Date.now() / 1000) - 3600));
  expect(await stale.json()).toEqual({ refused: 'stale timestamp' });
  expect((await fetch(receiver.url, { method: 'POST', body })).status).toBe(401);
  expect(receiver.events).toEqual([]);

  expect(await (await post(signatureHeader(SECRET, body))).json()).toEqual({ received: true, repeated: false });
  expect(await (await post(signatureHeader(SECRET, body))).json()).toEqual({ received: true, repeated: true });
  expect(receiver.ids()).toEqual(['notify/p-forged/purchase_ended']);
});

test('with no notify URL and no default on the worker, a purchase starts no notification', async () => {
  const quiet = await PurchaseEnv.start({ sim: { url: env.sim.url, admin: env.admin } });
  try {
    const handle = await quiet.buy({ items: await quiet.items(1) });
    expect((await handle.result()).end).toBe('COMPLETED');
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.filter((event) => event.startChildWorkflowExecutionInitiatedEventAttributes)).toEqual([]);
    // The worker was asked once whether it has a default URL (a local activity's marker).
    expect(events.filter((event) => event.markerRecordedEventAttributes).length).toBeGreaterThan(0);
  } finally {
    await quiet.close();
  }
}, 60_000);
