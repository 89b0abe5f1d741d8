/**
 * Operations commands, run as the built `dcp` against the simulator, the shared Temporal server and test workers:
 * `list` age filters, `status --history`, `cancel --batch` and `redrive`, with their refusals (exit 2).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { defaultPayloadConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { purchaseTimeline } from '../src/workflow-client/purchase-timeline';
import type { PurchaseResult } from '../src/shared/purchase-types';
import { purchaseListQuery } from '../src/cli/list';
import { batchCancelSignal, progressQuery } from '../src/shared/batch-messages';
import { runBatch } from './support/batch-env';
import { until } from '../harness/until';
import { runDcp } from './support/dcp';
import { historyFile, NEWEST_RECORDED_VERSION } from './support/histories';
import type { PurchaseHandle } from '../src/workflow-client/purchase-client';
import { PurchaseEnv } from './support/purchase-env';
import { ACME, BLUE_FIELDS, CIRRUS, startInProcess, type InProcessSimulator } from '../harness/simulator';

let sim: InProcessSimulator;
/** Credits cover everything. */
let acme: PurchaseEnv;
/** No credits: every order waits for a card payment. */
let card: PurchaseEnv;
/** Few credits and card payments disabled: checkout fails with 402 and the purchase ends FAILED. */
let cirrus: PurchaseEnv;

/** Purchases of this batch id are listed by age: one started before all tests, one in the last test. */
const agesBatch = `ages-${randomUUID()}`;
let oldPurchase: Promise<PurchaseHandle>;

/** Checks the order at once, then sleeps an hour: a purchase that rests in AWAITING_PAYMENT. */
const ONE_POLL_THEN_SLEEP = { firstMs: 3_600_000, factor: 1, capMs: 3_600_000 };
/** Checks at once, after 0.1 s and after 1 s, then sleeps 10 s: time for a test to pay and signal before poll 4. */
const THREE_QUICK_POLLS = { firstMs: 100, factor: 10, capMs: 3_600_000 };

beforeAll(async () => {
  sim = await startInProcess();
  [acme, card, cirrus] = await Promise.all(
    [ACME, BLUE_FIELDS, CIRRUS].map((account) => PurchaseEnv.start({ account, sim })),
  );
  oldPurchase = acme.items(1).then(async (items) => {
    const handle = await acme.buy({ items, batchId: agesBatch });
    await handle.result();
    return handle;
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([acme, card, cirrus].map((env) => env?.close()));
  await sim?.close();
});

/** Waits until the visibility store lists this many purchases for the query (it lags behind starts). */
async function listed(env: PurchaseEnv, query: string, count: number): Promise<void> {
  const listedCount = async () => {
    let n = 0;
    for await (const _ of env.client.workflow.list({ query })) n++;
    return n;
  };
  await until(`${count} workflows listed for ${query}`, listedCount, (n) => n >= count, 20_000);
}

test('list query: ages compare StartTime with RFC 3339 times measured from now', () => {
  const now = Date.parse('2026-01-02T12:00:00.000Z');
  expect(purchaseListQuery({ olderThan: 3_600_000, newerThan: 86_400_000 }, now)).toBe(
    'WorkflowType = "purchaseWorkflow" AND StartTime < "2026-01-02T11:00:00.000Z" AND StartTime > "2026-01-01T12:00:00.000Z"',
  );
});

test('timeline of a committed history: a wait that continued as new reads as one story over two runs', () => {
  const runs = ['first-run', 'last-run'].map(
    (run) =>
      historyFromJSON(
        JSON.parse(
          fs.readFileSync(historyFile('purchase', `continued-as-new-${run}`, NEWEST_RECORDED_VERSION), 'utf8'),
        ),
      ).events ?? [],
  );
  const entries = purchaseTimeline(runs, defaultPayloadConverter);
  const kinds = entries.map((e) => `${e.run} ${e.kind}`);
  expect(kinds.slice(0, 3)).toEqual(['1 started', '1 activity', '1 activity']); // contract, then prices
  expect(kinds.slice(-2)).toEqual(['2 activity', '2 ended']);
  expect(entries.find((e) => e.kind === 'continued')?.run).toBe(1);
  // Poll numbers run on across the continue-as-new: run 2 starts from the polls carried over.
  const polls = entries.filter((e) => e.text.startsWith('poll ')).map((e) => Number(/^poll (\d+)/.exec(e.text)![1]));
  expect(polls).toEqual(polls.map((_, i) => i + 1));
  expect(entries.at(-1)!.text).toBe('COMPLETED');
});

test('status --history: the timeline of a card purchase with its polls, a paymentCompleted signal and its end', async () => {
  const handle = await card.buy({ items: await card.items(1), poll: THREE_QUICK_POLLS });
  const waiting = await card.waitForStage(handle, 'AWAITING_PAYMENT', (s) => s.polls === 3);
  await card.admin.payOrder(waiting.orderId as string);
  const paid = await runDcp(card.settings, ['paid', handle.workflowId]);
  expect(paid.code).toBe(0);
  expect((await handle.result()).end).toBe('COMPLETED');
  const orderId = waiting.orderId as string;

  const run = await runDcp(card.settings, ['status', handle.workflowId, '--history']);
  expect(run.code).toBe(0);
  const expected = [
    `purchase ${handle.workflowId}: `,
    /started +started: 1 item, default contract$/,
    /activity +contract 6001 looked up \(GBP\)$/,
    /activity +prices looked up: [\d.]+ GBP for 1 item$/,
    `order created: order ${orderId} UNPAID`,
    `checkout: order ${orderId} UNPAID via CARD`,
    /stage +AWAITING_PAYMENT$/,
    `poll 1: order ${orderId} UNPAID`,
    `poll 2: order ${orderId} UNPAID`,
    `poll 3: order ${orderId} UNPAID`,
    /signal +paymentCompleted received$/,
    `poll 4: order ${orderId} PAID`,
    /ended +COMPLETED$/,
  ];
  const lines = run.stdout.trimEnd().split('\n');
  let at = -1;
  for (const want of expected) {
    const found = lines.findIndex(
      (line, i) => i > at && (typeof want === 'string' ? line.includes(want) : want.test(line)),
    );
    expect([want, found > at]).toEqual([want, true]);
    at = found;
  }
  expect(lines.every((line, i) => i === 0 || /^ {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}\w+ +\S/.test(line))).toBe(true);
  expect(run.stdout).not.toContain(BLUE_FIELDS.clientSecret);

  const json = await runDcp(card.settings, ['status', handle.workflowId, '--history', '--json']);
  const timeline = JSON.parse(json.stdout) as {
    purchaseId: string;
    events: Array<{ kind: string; run: number; text: string }>;
  };
  expect(timeline.purchaseId).toBe(handle.workflowId);
  expect(timeline.events.map((e) => e.kind)).toEqual(
    expect.arrayContaining(['started', 'activity', 'stage', 'signal', 'ended']),
  );
  expect(timeline.events.at(-1)).toMatchObject({ kind: 'ended', run: 1, text: 'COMPLETED' });
}, 60_000);

test('status --history follows every run of a purchase that continued as new', async () => {
  const handle = await card.buy({
    items: await card.items(1),
    poll: { firstMs: 20, factor: 1, capMs: 20 },
    historyEventLimit: 100,
  });
  const waiting = await card.waitForStage(handle, 'AWAITING_PAYMENT', (s) => s.runs >= 1);
  await card.admin.payOrder(waiting.orderId as string);
  await handle.result();

  const run = await runDcp(card.settings, ['status', handle.workflowId, '--history', '--json']);
  const { events } = JSON.parse(run.stdout) as { events: Array<{ kind: string; run: number; text: string }> };
  expect(events[0]).toMatchObject({ run: 1, kind: 'started' });
  expect(events.some((e) => e.run === 1 && e.kind === 'continued')).toBe(true);
  expect(events.find((e) => e.run === 2)).toMatchObject({
    kind: 'started',
    text: expect.stringContaining('run 2 started'),
  });
  expect(events.at(-1)).toMatchObject({ kind: 'ended', text: 'COMPLETED' });
  expect(events.at(-1)!.run).toBeGreaterThanOrEqual(2);
}, 60_000);

test('cancel --batch: cancels every running purchase tagged with a batch id that has no batch workflow', async () => {
  const batch = `tagged-${randomUUID()}`;
  const handles = await Promise.all(
    [0, 1].map(async () => card.buy({ items: await card.items(1), batchId: batch, poll: ONE_POLL_THEN_SLEEP })),
  );
  await Promise.all(handles.map((h) => card.waitForStage(h, 'AWAITING_PAYMENT')));
  await listed(card, purchaseListQuery({ batch, running: true }), 2);

  const run = await runDcp(card.settings, ['cancel', '--batch', batch, '--reason', 'not needed']);
  expect([run.code, run.stdout.trim()]).toEqual([0, `cancelled 2 running purchases of batch ${batch}`]);
  for (const h of handles) {
    expect(await h.result()).toMatchObject({
      end: 'CANCELLED',
      reason: expect.stringContaining('cancelled: not needed'),
    });
  }

  const again = await runDcp(card.settings, ['cancel', '--batch', batch]);
  expect([again.code, again.stderr.trim()]).toEqual([
    2,
    `dcp: no running batch or running purchase with batch id ${batch}`,
  ]);
}, 60_000);

test('cancel --batch: a batch workflow is told to cancel, and it cancels its own purchases', async () => {
  const items = await card.items(2);
  const batch = await runBatch(card, { budget: '100000', items, poll: ONE_POLL_THEN_SLEEP });
  await listed(card, purchaseListQuery({ batch: batch.workflowId, running: true, stage: 'AWAITING_PAYMENT' }), 2);

  // A message of one kind sent to the other would be buffered and never handled: refused, naming the right command.
  const id = batch.workflowId;
  for (const args of [
    ['cancel', id],
    ['status', id],
    ['paid', id],
  ]) {
    const refused = await runDcp(card.settings, args);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      `dcp: ${id} is a batch, not a purchase (its commands: dcp batch status ${id}, dcp batch cancel ${id})\n`,
    ]);
  }
  const purchase = `${id}/0`;
  const wrongKind = await runDcp(card.settings, ['batch', 'cancel', purchase]);
  expect([wrongKind.code, wrongKind.stderr]).toEqual([
    2,
    `dcp: ${purchase} is a purchase, not a batch (its commands: dcp status ${purchase}, dcp cancel ${purchase})\n`,
  ]);

  const run = await runDcp(card.settings, ['cancel', '--batch', batch.workflowId]);
  expect([run.code, run.stdout.trim()]).toEqual([
    0,
    `cancel sent to batch ${batch.workflowId}: it cancels its 2 running purchases`,
  ]);
  const outcomes = (await card.batchItems(await batch.result())).map((row) => row.outcome);
  expect(outcomes).toEqual(['CANCELLED', 'CANCELLED']);
}, 60_000);

test('a batch cancelled while it lets its purchases end before continuing as new cancels them at once', async () => {
  // One item a chunk and a short history: a run continues as new after a chunk or two, waiting first for the
  // purchases it started, which wait for a card payment.
  const batch = await runBatch(card, {
    budget: '100000',
    items: await card.items(4),
    chunkSize: 1,
    historyEventLimit: 20,
    poll: ONE_POLL_THEN_SLEEP,
  });
  await until(
    'the batch draining with purchases in flight',
    () => batch.query(progressQuery),
    (p) => p.phase === 'DRAINING' && p.inFlight > 0,
  );
  await batch.signal(batchCancelSignal, 'not needed');
  const result = await batch.result();
  expect(result.end).toBe('CANCELLED');
  const rows = await card.batchItems(result);
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) expect(row.outcome).toBe('CANCELLED');
}, 60_000);

test('redrive of a purchase still running is refused', async () => {
  const waiting = await card.buy({ items: await card.items(1), poll: ONE_POLL_THEN_SLEEP });
  await card.waitForStage(waiting, 'AWAITING_PAYMENT');
  const run = await runDcp(card.settings, ['redrive', waiting.workflowId]);
  expect([run.code, run.stderr]).toEqual([
    2,
    `dcp: purchase ${waiting.workflowId} is still running: only a FAILED or EXPIRED purchase can be redriven\n`,
  ]);
  await waiting.cancel();
});

test.each([
  [['cancel'], 'cancel: give exactly one of a purchase ID or --batch ID'],
  [['cancel', 'some-id', '--batch', 'some-batch'], 'cancel: give exactly one of a purchase ID or --batch ID'],
  [['redrive', 'no-such-purchase'], 'no purchase with id no-such-purchase'],
])('refused: %j exits 2 with one line', async (args, message) => {
  const run = await runDcp(acme.settings, args);
  expect([run.code, run.stderr]).toEqual([2, `dcp: ${message}\n`]);
});

test('redrive of a FAILED purchase: a new attempt under <ID>-r1 with the same items, linked to the old one', async () => {
  const items = await cirrus.items(1);
  await cirrus.admin.setCredits(CIRRUS.organisation, '0');
  const failed = await cirrus.buy({ items });
  const old: PurchaseResult = await failed.result();
  expect(old).toMatchObject({ end: 'FAILED', reason: expect.stringContaining('Insufficient credits') });
  await cirrus.admin.setCredits(CIRRUS.organisation, '100000');
  try {
    const run = await runDcp(cirrus.settings, ['redrive', failed.workflowId]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`redriving ${failed.workflowId} (FAILED) as ${failed.workflowId}-r1`);
    expect(run.stdout).toContain(`purchase ${failed.workflowId}-r1: COMPLETED`);
    expect(run.stdout).toContain(`redrive of: ${failed.workflowId}`);
    const result: PurchaseResult = await cirrus.client.workflow.getHandle(`${failed.workflowId}-r1`).result();
    expect(result).toMatchObject({ end: 'COMPLETED', redriveOf: failed.workflowId, contractId: old.contractId });
    expect(result.lineItems.map((l) => l.item)).toEqual(items.map((i) => i.item));

    // Redriving the new one, which COMPLETED, is refused.
    const refused = await runDcp(cirrus.settings, ['redrive', `${failed.workflowId}-r1`]);
    expect([refused.code, refused.stderr]).toEqual([
      2,
      `dcp: purchase ${failed.workflowId}-r1 ended COMPLETED: only a FAILED or EXPIRED purchase can be redriven\n`,
    ]);
    const taken = await runDcp(cirrus.settings, [
      'redrive',
      failed.workflowId,
      '--purchase-id',
      `${failed.workflowId}-r1`,
    ]);
    expect(taken.code).toBe(2);
    expect(taken.stderr).toContain(`purchase id ${failed.workflowId}-r1 is already taken`);
  } finally {
    await cirrus.admin.setCredits(CIRRUS.organisation, '500');
  }
}, 60_000);

test('redrive of an EXPIRED purchase: warns that its order is still UNPAID, links the new attempt; refused once paid', async () => {
  const expired = await card.buy({ items: await card.items(1), paymentWindowMs: 500 });
  const old: PurchaseResult = await expired.result();
  expect(old).toMatchObject({ end: 'EXPIRED', orderStatus: 'UNPAID' });

  const run = await runDcp(card.settings, ['redrive', expired.workflowId, '--no-wait']);
  expect(run.code).toBe(0);
  expect(run.stdout.trim()).toBe(`${expired.workflowId}-r1`);
  expect(run.stderr).toContain(`note: order ${old.orderId} of ${expired.workflowId} is still UNPAID`);
  // Same input, so the same short payment window: the new attempt expires too, and says what it re-drives.
  const next = card.client.workflow.getHandle(`${expired.workflowId}-r1`);
  expect(await next.result()).toMatchObject({ end: 'EXPIRED', redriveOf: expired.workflowId });
  const [shown, second] = await Promise.all([
    runDcp(card.settings, ['status', next.workflowId]),
    runDcp(card.settings, ['redrive', expired.workflowId, '--no-wait', '--json']),
  ]);
  expect(shown.stdout).toContain(`redrive of: ${expired.workflowId}`);
  expect(JSON.parse(second.stdout)).toMatchObject({ purchaseId: `${expired.workflowId}-r2`, origin: 'started' });

  // The old payment link was used after all: the images are bought, there is nothing to redrive.
  await card.admin.payOrder(old.orderId as string);
  const paid = await runDcp(card.settings, ['redrive', expired.workflowId]);
  expect([paid.code, paid.stderr]).toEqual([
    2,
    `dcp: purchase ${expired.workflowId} ended EXPIRED but its order ${old.orderId} has been PAID since: nothing to redrive\n`,
  ]);
}, 60_000);

// Last, so the purchase started in beforeAll is old enough without waiting.
test('list --older-than / --newer-than split purchases by when they started; a list cut at its limit says so', async () => {
  const old = await oldPurchase;
  const waitMs = (await old.describe()).startTime.getTime() + 4_000 - Date.now();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, waitMs)));
  const young = await acme.buy({ items: await acme.items(1), batchId: agesBatch });
  await young.result();
  await listed(acme, purchaseListQuery({ batch: agesBatch }), 2);
  const rows = async (...args: string[]) => {
    const run = await runDcp(acme.settings, ['list', '--batch', agesBatch, '--json', ...args]);
    expect(run.code).toBe(0);
    return (JSON.parse(run.stdout) as Array<{ purchaseId: string }>).map((r) => r.purchaseId);
  };
  const [oldStart, youngStart] = await Promise.all(
    [old, young].map(async (h) => (await h.describe()).startTime.getTime()),
  );
  // Ages grow while dcp starts: each boundary sits where that growth only helps, 3.5 s from the other purchase.
  const olderThan = () => `${Date.now() - oldStart - 500}ms`;
  const newerThan = () => `${Date.now() - youngStart + 3_500}ms`;
  expect(await rows('--older-than', olderThan())).toEqual([old.workflowId]);
  expect(await rows('--newer-than', newerThan())).toEqual([young.workflowId]);
  const [lastHour, beforeLastHour, bad] = await Promise.all([
    rows('--newer-than', '1h'),
    rows('--older-than', '1h'),
    runDcp(acme.settings, ['list', '--older-than', 'soon']),
  ]);
  expect(lastHour.sort()).toEqual([old.workflowId, young.workflowId].sort());
  expect(beforeLastHour).toEqual([]);

  expect(bad.code).toBe(2);
  expect(bad.stderr.trim()).toMatch(
    /^dcp: option '--older-than <duration>' argument 'soon' is invalid\. must be a duration/,
  );

  // A list cut at its limit says so on stderr (a script redriving what it lists would miss the rest).
  const cut = await runDcp(acme.settings, ['list', '--batch', agesBatch, '--json', '--limit', '1']);
  expect([cut.code, JSON.parse(cut.stdout).length]).toEqual([0, 1]);
  expect(cut.stderr).toBe('note: only the first 1 purchases that match are listed: raise --limit or narrow it\n');
  const whole = await runDcp(acme.settings, ['list', '--batch', agesBatch, '--json', '--limit', '2']);
  expect([JSON.parse(whole.stdout).length, whole.stderr]).toEqual([2, '']);
}, 60_000);
