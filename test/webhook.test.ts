/**
 * Payment webhooks: signature checks (good, forged, stale, replayed), the `dcp webhook` listener against a real
 * Temporal and purchase worker, and the simulator's checkout page paying a purchase through it long before the next poll.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { settingsEnvironment } from '../src/config/settings';
import { checkoutCompletedEvent } from '../src/webhook/webhook-event';
import { signatureHeader, verifySignature } from '../src/webhook/webhook-signature';
import { ReplayGuard } from '../src/webhook/replay-guard';
import { PurchaseEnv } from './support/purchase-env';
import { spawnSimulator } from '../harness/simulator';

const SECRET = 'whsec_test_0123456789abcdef';
const HOUR_POLLS = { firstMs: 3_600_000, factor: 1, capMs: 3_600_000 };
const nowS = () => Math.floor(Date.now() / 1000);

describe('signature checks', () => {
  const body = Buffer.from(JSON.stringify(checkoutCompletedEvent('evt_1', { order_id: 'ord-1' })));

  test('a good signature passes; a forged one, another body or a stale or future timestamp do not', () => {
    expect(verifySignature(signatureHeader(SECRET, body), body, SECRET)).toMatchObject({ valid: true });
    expect(verifySignature(signatureHeader('whsec_someone_else_000', body), body, SECRET)).toEqual({
      valid: false,
      problem: 'signature does not match',
    });
    expect(verifySignature(signatureHeader(SECRET, body), Buffer.from(`${body} `), SECRET)).toMatchObject({
      valid: false,
    });
    const stale = verifySignature(signatureHeader(SECRET, body, nowS() - 301), body, SECRET, 300);
    expect(stale).toEqual({ valid: false, problem: expect.stringContaining('outside the 300 s tolerance') });
    expect(verifySignature(signatureHeader(SECRET, body, nowS() + 400), body, SECRET, 300)).toMatchObject({
      valid: false,
    });
    expect(verifySignature(signatureHeader(SECRET, body, nowS() - 200), body, SECRET, 300)).toMatchObject({
      valid: true,
    });
  });

  test('a missing or malformed header is refused; any of several v1 signatures may match (secret rotation)', () => {
    expect(verifySignature(undefined, body, SECRET)).toEqual({
      valid: false,
      problem: 'missing Stripe-Signature header',
    });
    expect(verifySignature('v1=abc', body, SECRET)).toMatchObject({
      valid: false,
      problem: expect.stringContaining('malformed'),
    });
    const good = signatureHeader(SECRET, body);
    const old = signatureHeader('whsec_retired_secret_0', body).split(',')[1];
    expect(verifySignature(`${good},${old}`, body, SECRET)).toMatchObject({ valid: true });
  });

  test('the replay guard refuses a claimed id, forgets released ones and ids past twice the tolerance', () => {
    const guard = new ReplayGuard(300, 2);
    expect(guard.claim('evt_a', 0)).toBe(true);
    expect(guard.claim('evt_a', 1_000)).toBe(false);
    guard.release('evt_a');
    expect(guard.claim('evt_a', 2_000)).toBe(true);
    expect(guard.claim('evt_a', 2_000 + 600_000)).toBe(true); // expired, so remembered afresh
    expect(guard.claim('evt_b', 700_000)).toBe(true);
    expect(guard.claim('evt_c', 700_000)).toBe(true); // over the cap: the oldest (evt_a) is dropped
    expect(guard.claim('evt_a', 700_000)).toBe(true);
  });
});

describe('dcp webhook', () => {
  let env: PurchaseEnv;
  let listener: { child: ChildProcess; url: string; stderr: () => string };

  beforeAll(async () => {
    env = await PurchaseEnv.start();
    await env.admin.setCredits(1001, '0'); // every purchase here waits for a card payment
    // Without the DataCosmos credentials: the listener faces the internet and needs only to find purchases.
    const {
      DATACOSMOS_CLIENT_ID: _id,
      DATACOSMOS_CLIENT_SECRET: _secret,
      ...target
    } = settingsEnvironment(env.settings);
    listener = await startListener({ ...target, DCP_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'info' });
  }, 60_000);

  afterAll(async () => {
    listener?.child.kill('SIGTERM');
    await env?.close();
  });

  async function post(event: object, sign: (body: string) => string | undefined = (b) => signatureHeader(SECRET, b)) {
    const body = JSON.stringify(event);
    const signature = sign(body);
    const reply = await fetch(listener.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
      body,
    });
    return { status: reply.status, body: (await reply.json()) as Record<string, unknown> };
  }

  /** Like a payment provider, sends again while the purchase's order id is not yet visible to list queries (404). */
  async function postUntilVisible(event: object, sign?: (body: string) => string | undefined) {
    for (const until = Date.now() + 10_000; ;) {
      const reply = await post(event, sign);
      if (reply.status !== 404 || Date.now() > until) return reply;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function waitingPurchase() {
    const handle = await env.buy({ items: await env.items(1), poll: HOUR_POLLS });
    const waiting = await env.waitForStage(handle, 'AWAITING_PAYMENT', (s) => s.polls === 1); // now asleep for an hour
    return { handle, orderId: waiting.orderId as string };
  }

  test('a signed event signals the waiting purchase; the same event again is refused as replayed; later ones are acknowledged', async () => {
    const { handle, orderId } = await waitingPurchase();
    await env.admin.payOrder(orderId);
    const event = checkoutCompletedEvent(`evt_${orderId}`, { order_id: orderId });
    const header = signatureHeader(SECRET, JSON.stringify(event));

    expect(await postUntilVisible(event, () => header)).toEqual({
      status: 200,
      body: { received: true, purchaseId: handle.workflowId, outcome: 'signalled' },
    });
    const result = await handle.result();
    expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID', polls: 2 });

    expect(await post(event, () => header)).toEqual({
      status: 400,
      body: { error: `event "${event.id}" was already received (replayed)` },
    });
    // A later, different event for the finished purchase is acknowledged without a retry loop.
    const late = await post(checkoutCompletedEvent(`evt_late_${orderId}`, { order_id: orderId }));
    expect(late).toEqual({ status: 200, body: { received: true, purchaseId: handle.workflowId, outcome: 'closed' } });
  });

  test('the purchase id in client_reference_id is used only for a running purchase of that very order', async () => {
    const { handle, orderId } = await waitingPurchase();
    const other = await waitingPurchase();
    const misdirected = checkoutCompletedEvent('evt_misdirected', {
      order_id: 'ord-not-this-one',
      client_reference_id: handle.workflowId,
    });
    expect((await post(misdirected)).status).toBe(404);
    await env.admin.payOrder(orderId);
    const hinted = checkoutCompletedEvent('evt_hinted', { order_id: orderId, client_reference_id: handle.workflowId });
    expect(await post(hinted)).toMatchObject({
      status: 200,
      body: { purchaseId: handle.workflowId, outcome: 'signalled' },
    });
    expect(await handle.result()).toMatchObject({ end: 'COMPLETED', polls: 2 });
    expect((await env.status(other.handle)).stage).toBe('AWAITING_PAYMENT');
    await other.handle.cancel();
  });

  test('forged, stale and unsigned events are refused with 400 and signal nothing', async () => {
    const { handle, orderId } = await waitingPurchase();
    const event = (id: string) => checkoutCompletedEvent(id, { order_id: orderId });
    const forged = await post(event('evt_forged'), (b) => signatureHeader('whsec_attacker_guess_00', b));
    expect(forged).toEqual({ status: 400, body: { error: 'signature does not match' } });
    const stale = await post(event('evt_stale'), (b) => signatureHeader(SECRET, b, nowS() - 3_600));
    expect(stale.status).toBe(400);
    expect(stale.body.error).toContain('outside the 300 s tolerance');
    expect((await post(event('evt_unsigned'), () => undefined)).status).toBe(400);

    const status = await env.status(handle);
    expect(status).toMatchObject({ stage: 'AWAITING_PAYMENT', polls: 1 }); // no signal woke it
    await handle.cancel();
  });

  test('an order no purchase knows is 404; other event types are acknowledged and ignored', async () => {
    const unknown = await post(checkoutCompletedEvent('evt_unknown_order', { order_id: 'ord-nobody-waits' }));
    expect(unknown).toEqual({ status: 404, body: { error: 'no purchase waits on order ord-nobody-waits' } });
    const other = await post({ id: 'evt_other', type: 'payment_intent.created', data: { object: {} } });
    expect(other).toEqual({ status: 200, body: { received: true, ignored: 'payment_intent.created' } });
    const malformed = await post({
      id: 'evt_bad',
      type: 'checkout.session.completed',
      data: { object: { order_id: "x' OR '1'='1" } },
    });
    expect(malformed.status).toBe(400);
  });

  test('end to end: paid on the checkout page, the simulator webhook completes an hour-polling purchase in seconds', async () => {
    await env.admin.setSettings({ webhookUrl: listener.url, webhookSecret: SECRET });
    try {
      const handle = await env.buy({ items: await env.items(1), poll: HOUR_POLLS });
      const waiting = await env.waitForStage(handle, 'AWAITING_PAYMENT', (s) => s.polls === 1);
      const paid = await fetch(`${waiting.checkoutUrl}/pay`, { method: 'POST' });
      expect(paid.status).toBe(200);
      const result = await handle.result();
      expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID', paymentMethod: 'CARD', polls: 2 });
      expect((await env.admin.settings()).webhookSecret).toBe('(set)'); // the admin API never shows it
    } finally {
      await env.admin.setSettings({ webhookUrl: null, webhookSecret: null });
    }
    expect(listener.stderr()).toContain('payment event handled');
    expect(listener.stderr()).not.toContain(SECRET);
  }, 30_000);
});

test('dcp webhook refuses to start without a valid DCP_WEBHOOK_SECRET', async () => {
  const child = spawn(process.execPath, [STARTER, 'webhook', '--port', '0'], {
    env: { PATH: process.env.PATH, DCP_WEBHOOK_SECRET: 'short' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise((resolve) => child.once('exit', resolve));
  expect(code).toBe(2);
  expect(stderr).toBe('dcp: invalid configuration: DCP_WEBHOOK_SECRET must be at least 16 characters\n');
});

test('the simulator takes its webhook from --webhook-url and --webhook-secret, and refuses one without the other', async () => {
  const sim = await spawnSimulator({
    args: ['--items', '10', '--webhook-url', 'http://127.0.0.1:9/webhooks/payment', '--webhook-secret', SECRET],
  });
  try {
    expect(await sim.admin.settings()).toMatchObject({
      webhookUrl: 'http://127.0.0.1:9/webhooks/payment',
      webhookSecret: '(set)',
    });
  } finally {
    await sim.stop();
  }
  const alone = spawn(
    process.execPath,
    [path.resolve(__dirname, '../dist/simulator/main.js'), '--port', '0', '--webhook-url', 'http://x:1/'],
    {
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  alone.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  expect(await new Promise((resolve) => alone.once('exit', resolve))).toBe(2);
  expect(stderr).toContain('--webhook-url and --webhook-secret (or SIM_WEBHOOK_SECRET) go together');
});

const STARTER = path.resolve(__dirname, '../dist/src/starter.js');

/** `dcp webhook --port 0` as its own process; resolves with its URL once it prints the listening line. */
function startListener(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [STARTER, 'webhook', '--port', '0'], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url, stderr: () => stderr });
    });
    child.once('exit', (code) => reject(new Error(`dcp webhook exited ${code} before listening: ${stderr}`)));
  });
}
