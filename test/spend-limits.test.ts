/**
 * Spend limits hold for the whole organisation, whoever buys: five batches and a schedule run started at the same
 * instant, each with a budget far over the month's limit, with the worker killed in the middle, commit at most the
 * limit (to the cent, from the simulator's order audit) and stop only when what is left cannot buy the cheapest
 * item they skipped (the same through a Temporal server kill: test/spend-limits-restart.test.ts). A payment wait keeps its reservation, a lowered limit refuses the next purchase, an approval
 * lets one through, a cancelled purchase's unpaid order holds its money until that order is cancelled. While no limit
 * exists, purchases do not reserve (they do not queue on the ledger), and what they spend still counts once one is set.
 */
import { add, compare, subtract } from '../src/shared/money';
import type { PurchaseResult } from '../src/shared/purchase-types';
import { spendLedgerId, type LimitReport } from '../src/shared/spend-limit-types';
import { until } from '../harness/until';
import type { CoveragePlanRecord } from '../src/shared/coverage-types';
import { regionAoi, runBatch, searchWithPrices } from './support/batch-env';
import { runDcp } from './support/dcp';
import { dcpOk, expectLimitHeld, limitsOf, paidTotal } from './support/spend-limits';
import { withWorkerProcess, type PurchaseEnv } from './support/purchase-env';

let env: PurchaseEnv;
withWorkerProcess((started) => (env = started));

const dcp = (args: string[]) => dcpOk(env, args);
const limits = () => limitsOf(env);

test('five batches and a schedule run at the same instant, with a worker kill: never more than the limits', async () => {
  await env.admin.setCredits(1001, '100000000');
  const menut = await searchWithPrices(env, { collections: ['menut-l1c-cogs'] }, 50);
  const mantis = await searchWithPrices(env, { collections: ['mantis-l1d-cogs'] }, 10);
  const all = add(...menut.map((i) => i.price));
  const monthLimit = subtract(all, add(...menut.slice(0, 20).map((i) => i.price))); // about 60 % of what is asked
  const scheduleLimit = add(...mantis.slice(0, 4).map((i) => i.price), '0.01');
  await dcp(['limits', 'set', '--period', 'month', '--amount', monthLimit, '--currency', 'EUR']);
  await dcp([
    'limits',
    'set',
    '--period',
    'day',
    '--amount',
    scheduleLimit,
    '--currency',
    'EUR',
    '--scope',
    'schedule',
    'nightly',
  ]);

  const slices = [0, 1, 2, 3, 4].map((k) =>
    menut.slice(k * 10, k * 10 + 10).map(({ collection, item }) => ({ collection, item })),
  );
  const big = '100000000';
  const handles = await Promise.all([
    ...slices.map((items) => runBatch(env, { items, budget: big, concurrency: 4 })),
    runBatch(env, {
      batchId: 'nightly',
      schedule: { windowMs: 100 * 365 * 86_400_000 },
      search: { collections: ['mantis-l1d-cogs'], maxItems: 10 },
      budget: big,
      concurrency: 4,
    }),
  ]);
  await env.killWorkersAfterOrders(5);
  const results = await Promise.all(handles.map((h) => h.result()));

  const nightlyRows = new Set((await env.batchItems(results[5])).map((r) => r.item));
  const nightly = (await limits()).get('schedule-nightly-day') as LimitReport;
  expect(compare(nightly.spent, scheduleLimit)).toBeLessThanOrEqual(0);
  const { skipped } = await expectLimitHeld(
    env,
    results,
    { name: 'organisation-month', amount: monthLimit },
    (row, left) => (nightlyRows.has(row.item) ? [left, nightly.left] : [left]),
  );
  expect(skipped[0].reason).toMatch(/^spend limit "(organisation-month|schedule-nightly-day)"/);
  await dcp(['limits', 'remove', 'organisation-month']);
  await dcp(['limits', 'remove', 'schedule-nightly-day']);
}, 600_000);

test('a payment wait holds its reservation, a lowered limit refuses, an approval goes over (priced again after it), an unpaid order holds', async () => {
  await env.admin.setCredits(1001, '0'); // every order waits for a card payment
  const [a, b, c, d] = await searchWithPrices(env, { collections: ['hammer-l1c-cogs'] }, 4);
  const line = (i: typeof a) => ({ collection: i.collection, item: i.item });
  const setTight = (amount: string) =>
    dcp([
      'limits',
      'set',
      '--name',
      'tight',
      '--period',
      'week',
      '--amount',
      amount,
      '--currency',
      'EUR',
      '--scope',
      'contract',
      '5001',
    ]);
  await setTight('1000000');

  // Spend of the first test counts too: the same contract, the same week.
  const before = (await limits()).get('tight')?.spent as string;
  const first = await env.buy({ items: [line(a)] });
  const waiting = await env.waitForStage(first, 'AWAITING_PAYMENT');
  expect((await limits()).get('tight')).toMatchObject({
    reserved: a.price,
    holders: [{ holder: first.workflowId, amount: a.price, state: 'RESERVED' }],
  });

  // Lowered below what is held: the reservation stays, nothing is left, the next purchase is refused.
  await setTight('1');
  expect((await limits()).get('tight')).toMatchObject({ reserved: a.price, left: '0' });
  const refused = await runDcp(env.settings, ['buy', '--item', `${b.collection}/${b.item}`, '--json'], 120_000);
  const refusedResult = JSON.parse(refused.stdout) as PurchaseResult;
  expect(refusedResult).toMatchObject({ end: 'REJECTED', spendLimit: 'tight', orderId: null });
  expect(refusedResult.reason).toContain('spend limit "tight" (week from');
  expect(refused.code).not.toBe(0);

  // With an approval wait, the purchase waits naming the limit; approved, it goes over it.
  const approved = await env.buy({
    items: [line(c)],
    budget: { maxTotal: '100000000', currency: 'EUR', approval: 'wait' },
  });
  const asking = await env.waitForStage(approved, 'AWAITING_APPROVAL');
  expect(asking).toMatchObject({ spendLimit: 'tight' });
  // Prices rise while it waits: approved, it prices again, and the higher total waits for approval again.
  await env.admin.setSettings({ rateFactor: '2' });
  let approvedWait;
  try {
    await dcp(['approve', approved.workflowId]);
    const rose = await env.waitForStage(approved, 'AWAITING_APPROVAL', (s) => s.total !== asking.total);
    expect(rose.lastError ?? '').toContain(`is above the ${asking.total} EUR approved`);
    await dcp(['approve', approved.workflowId]);
    approvedWait = await env.waitForStage(approved, 'AWAITING_PAYMENT');
  } finally {
    await env.admin.setSettings({ rateFactor: '1' });
  }
  const cTotal = approvedWait.total as string;
  expect(Number(cTotal)).toBeCloseTo(2 * Number(c.price), 1);
  // What is reserved is what is ordered.
  expect((await limits()).get('tight')?.holders).toContainEqual(
    expect.objectContaining({ holder: approved.workflowId, amount: cTotal }),
  );

  await env.admin.payOrder(waiting.orderId as string);
  await env.admin.payOrder(approvedWait.orderId as string);
  expect(await first.result()).toMatchObject({ end: 'COMPLETED' });
  expect(await approved.result()).toMatchObject({ end: 'COMPLETED' });
  expect((await limits()).get('tight')).toMatchObject({
    spent: add(before, a.price, cTotal),
    reserved: '0',
    holders: [],
  });

  // Cancelled while its order is UNPAID: the order could still be paid, so its money stays held until it is cancelled.
  await setTight('100000000');
  const cancelled = await env.buy({ items: [line(d)] });
  const left = await env.waitForStage(cancelled, 'AWAITING_PAYMENT');
  await dcp(['cancel', cancelled.workflowId]);
  expect(await cancelled.result()).toMatchObject({ end: 'CANCELLED', orderStatus: 'UNPAID' });
  expect((await limits()).get('tight')).toMatchObject({
    holders: [{ holder: cancelled.workflowId, amount: d.price, state: 'UNPAID' }],
  });
  await env.admin.cancelOrder(left.orderId as string);
  await until(
    'the unpaid order released',
    async () => (await limits()).get('tight'),
    (r) => r?.holders.length === 0,
    30_000,
  );
  expect((await limits()).get('tight')).toMatchObject({ spent: add(before, a.price, cTotal), reserved: '0' });
}, 300_000);

test('a coverage batch plans within what the limits leave, not its larger budget', async () => {
  await env.admin.setCredits(1001, '100000000');
  await dcp(['limits', 'set', '--name', 'area-day', '--period', 'day', '--amount', '100000000', '--currency', 'EUR']);
  const before = (await limits()).get('area-day') as LimitReport;
  const room = '300';
  const amount = add(before.spent, before.reserved, room);
  await dcp(['limits', 'set', '--name', 'area-day', '--period', 'day', '--amount', amount, '--currency', 'EUR']);
  const handle = await runBatch(env, {
    coverage: { aoi: regionAoi(12, 30, 0).geometry },
    budget: '100000',
    concurrency: 4,
  });
  const result = await handle.result();
  const plan = result.coveragePlan as CoveragePlanRecord;
  expect(plan.limitedBy).toEqual({ limit: 'area-day', left: room });
  expect(compare(plan.cost, room)).toBeLessThanOrEqual(0);
  expect(result.counts.SKIPPED_LIMIT).toBe(0);
  expect(result.counts.PAID).toBeGreaterThan(0);
  expect(compare((await limits()).get('area-day')?.spent as string, amount)).toBeLessThanOrEqual(0);
}, 300_000);

test('while no limit exists a purchase does not wait on the ledger; a limit set later counts what it spent', async () => {
  for (const name of (await limits()).keys()) await dcp(['limits', 'remove', name]);
  const ledger = env.client.workflow.getHandle(
    spendLedgerId({ taskQueue: env.taskQueue, organisationId: env.account.organisation }),
  );
  const eventsBefore = (await ledger.fetchHistory()).events?.length ?? 0;
  // An item past those the tests above bought (the first ones of each collection).
  const item = (await env.items(20, 'hammer-l1c-cogs')).slice(-1);
  const purchase = await env.buy({ items: item });
  expect(((await purchase.result()) as PurchaseResult).end).toBe('COMPLETED');
  // The ledger got the settlement as a signal and no update: nothing was reserved, nobody waited on it.
  const events = await until(
    'the settlement recorded',
    async () => ((await ledger.fetchHistory()).events ?? []).slice(eventsBefore),
    (history) => history.some((e) => e.workflowExecutionSignaledEventAttributes),
  );
  expect(events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);
  await dcp(['limits', 'set', '--name', 'set-later', '--period', 'month', '--amount', '1000000', '--currency', 'EUR']);
  // Every paid order of the organisation this month counts, this purchase's too.
  expect((await limits()).get('set-later')).toMatchObject({ spent: await paidTotal(env), reserved: '0' });
});
