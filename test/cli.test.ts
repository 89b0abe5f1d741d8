/**
 * The `dcp` command line against a local stack (Temporal, simulator, worker) that `startDevStack` runs
 * on free ports: every command, its output and its exit code, and that bad input creates no order.
 */
import { freePort } from '../local/ports';
import { CliStack } from './support/cli-stack';

let cli: CliStack;
let items: string[] = [];
const dcp = (args: string[], env?: Record<string, string>) => cli.dcp(args, env);
const orderCount = () => cli.orderCount();

beforeAll(async () => {
  cli = await CliStack.start();
  items = await cli.items(30);
  expect(items).toHaveLength(30);
}, 120_000);

afterAll(async () => {
  await cli?.stop();
});

test('search prints a table with prices under the default contract', async () => {
  const run = await dcp(['search', '--collection', 'hammer-l1c-cogs', '--limit', '3', '--cloud-lt', '50']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^ITEM\s+DATETIME\s+LEVEL\s+CLOUD %\s+AREA km2\s+PRICE/);
  expect(run.stdout).toMatch(/hammer-l1c-cogs\/\S+ .* \d+(\.\d+)? EUR/);
  expect(run.stdout).toContain('3 items');
});

test('buy with credits: completes, exit 0; buying again reports the same purchase and buys nothing', async () => {
  const first = await dcp(['buy', '--item', items[0], '--json']);
  expect(first.code).toBe(0);
  const result = JSON.parse(first.stdout);
  expect(result).toMatchObject({
    end: 'COMPLETED',
    orderStatus: 'PAID',
    paymentMethod: 'NOT_REQUIRED',
    origin: 'started',
  });
  const before = await orderCount();

  const again = await dcp(['buy', '--item', items[0]]);
  expect(again.code).toBe(0);
  expect(again.stderr).toContain('already ran; reporting its result');
  expect(again.stdout).toContain(`order:    ${result.orderId} PAID`);
  // With --json, which prints no such line, the result says it.
  const againJson = await dcp(['buy', '--item', items[0], '--json']);
  expect(JSON.parse(againJson.stdout)).toMatchObject({ purchaseId: result.purchaseId, origin: 'finished' });
  expect(await orderCount()).toBe(before);

  const orders = await dcp(['orders', '--status', 'PAID', '--json']);
  expect(JSON.parse(orders.stdout).map((o: { id: string }) => o.id)).toContain(result.orderId);
  const status = await dcp(['status', result.purchaseId]);
  expect(status.stdout).toContain(`purchase ${result.purchaseId}: COMPLETED`);
});

test.each([
  [
    ['buy', '--item', 'no-slash'],
    "option '--item <collection/item[@level]>' argument 'no-slash' is invalid. must be COLLECTION/ITEM",
  ],
  [['buy', '--item', 'c/i', '--max-total', '-5'], "argument '-5' is invalid. must be a positive decimal amount"],
  [['buy', '--item', 'c/i', '--max-total', 'ten'], "argument 'ten' is invalid. must be a positive decimal amount"],
  [['buy', '--item', 'c/i', '--item', 'c/i'], 'items[1]: duplicate item c/i'],
  [
    ['buy', '--item', 'c/i', '--payment-window', 'soon'],
    "option '--payment-window <duration>' argument 'soon' is invalid. must be a duration",
  ],
  [['buy', '--item', 'c/i', '--approval', 'maybe'], "argument 'maybe' is invalid"],
  [['buy', '--item', 'c/i', '--currency', 'EUR'], '--currency goes with --max-total'],
  [['buy'], "required option '--item"],
  [['extend', 'x', '--by', '0s'], "argument '0s' is invalid. must be a duration from 1ms to 3650d"],
  [
    ['search', '--bbox', '10,50,20'],
    "option '--bbox <w,s,e,n>' argument '10,50,20' is invalid. must be WEST,SOUTH,EAST,NORTH",
  ],
  [['search', '--bbox', '10,60,20,50'], 'with south below north'],
  [['list', '--stage', 'SLEEPING'], "argument 'SLEEPING' is invalid"],
  [['frobnicate'], "unknown command 'frobnicate'"],
])('bad input %j exits 2 with one line and orders nothing', async (args, message) => {
  const before = await orderCount();
  const run = await dcp(args as string[]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(/^dcp: /);
  expect(await orderCount()).toBe(before);
});

test('an unknown item exits 6 with the API message', async () => {
  const run = await dcp(['buy', '--item', 'menut-l1c-cogs/NO_SUCH_ITEM@L1C']);
  expect(run.code).toBe(6);
  expect(run.stdout).toContain('FAILED');
  expect(run.stdout).toContain('NO_SUCH_ITEM');
});

test('over budget: rejected (exit 5), or waiting for approval then approved with dcp approve', async () => {
  const rejected = await dcp(['buy', '--item', items[1], '--max-total', '0.01']);
  expect(rejected.code).toBe(5);
  expect(rejected.stdout).toMatch(/REJECTED \(total .* is over the budget of 0.01 EUR\)/);

  const started = await dcp(['buy', '--item', items[2], '--max-total', '0.01', '--approval', 'wait', '--no-wait']);
  expect(started.code).toBe(0);
  const id = started.stdout.trim();
  let status = '';
  for (let i = 0; i < 100 && !status.includes('AWAITING_APPROVAL'); i++) status = (await dcp(['status', id])).stdout;
  expect(status).toContain(`purchase ${id}: AWAITING_APPROVAL`);
  const listed = await dcp(['list', '--stage', 'AWAITING_APPROVAL', '--json']);
  expect(JSON.parse(listed.stdout).map((r: { purchaseId: string }) => r.purchaseId)).toContain(id);
  const watch = await dcp(['watch', '--once']);
  expect(watch.stdout).toMatch(new RegExp(`${id}\\s+AWAITING_APPROVAL`));

  expect((await dcp(['approve', id])).code).toBe(0);
  const done = await dcp(['buy', '--item', items[2], '--max-total', '0.01', '--approval', 'wait', '--json']);
  expect(done.code).toBe(0);
  expect(JSON.parse(done.stdout).end).toBe('COMPLETED');
  const late = await dcp(['approve', id]);
  expect(late.code).toBe(2);
  expect(late.stderr).toContain(`purchase ${id} has already ended`);
});

test('card payment: extend, paid notice, and the deadline expiring (exit 4 with order id and link)', async () => {
  await cli.admin.setCredits(1001, '0');
  try {
    const expired = await dcp(['buy', '--item', items[3], '--payment-window', '2s']);
    expect(expired.code).toBe(4);
    expect(expired.stdout).toMatch(
      /EXPIRED \(order \S+ was still UNPAID at the payment deadline .*; payment link: http/,
    );

    const started = await dcp(['buy', '--item', items[4], '--no-wait']);
    const id = started.stdout.trim();
    let status = '';
    for (let i = 0; i < 100 && !status.includes('AWAITING_PAYMENT'); i++) status = (await dcp(['status', id])).stdout;
    expect(status).toContain('payment link: http');
    const extend = await dcp(['extend', id, '--by', '1h']);
    expect(extend.code).toBe(0);
    expect(extend.stdout).toMatch(new RegExp(`^${id}: \\d{4}-`));
    const orderId = /order: +(\S+) UNPAID/.exec(status)![1];
    await cli.admin.payOrder(orderId);
    expect((await dcp(['paid', id])).code).toBe(0);
    const result = await dcp(['buy', '--item', items[4], '--json']);
    expect(JSON.parse(result.stdout)).toMatchObject({ end: 'COMPLETED', orderId });

    const toCancel = (await dcp(['buy', '--item', items[5], '--no-wait'])).stdout.trim();
    for (let i = 0; i < 100 && !status.includes(`${toCancel}: AWAITING_PAYMENT`); i++)
      status = (await dcp(['status', toCancel])).stdout;
    expect((await dcp(['cancel', toCancel, '--reason', 'not needed'])).code).toBe(0);
    const cancelled = await dcp(['buy', '--item', items[5]]);
    expect(cancelled.code).toBe(3);
    expect(cancelled.stdout).toContain('CANCELLED (cancelled: not needed; order');
  } finally {
    await cli.admin.setCredits(1001, '100000');
  }
});

test('unknown purchase id, unreachable Temporal and bad configuration each exit with their own code', async () => {
  const unknown = await dcp(['status', 'no-such-purchase']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr.trim()).toBe('dcp: no purchase with id no-such-purchase');

  const production = {
    DATACOSMOS_CLIENT_ID: 'acme-pipeline',
    DATACOSMOS_CLIENT_SECRET: 'acme-secret-1001',
    DATACOSMOS_ORGANISATION_ID: '1001',
    DATACOSMOS_API_URL: cli.dev.stack.simulator.url,
    DATACOSMOS_AUTH_URL: cli.dev.stack.simulator.url,
  };
  const unreachable = await dcp(['list'], { ...production, TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
  expect(unreachable.code).toBe(7);
  expect(unreachable.stderr).toMatch(/^dcp: cannot reach Temporal at 127\.0\.0\.1:\d+/);

  const badEnv = await dcp(['list'], { ...production, DATACOSMOS_ORGANISATION_ID: 'acme' });
  expect(badEnv.code).toBe(2);
  expect(badEnv.stderr.trim()).toBe(
    'dcp: invalid configuration: DATACOSMOS_ORGANISATION_ID must be a positive whole number',
  );
  for (const run of [unknown, unreachable, badEnv]) {
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).not.toContain('acme-secret-1001');
  }
});
