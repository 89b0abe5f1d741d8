import type { LedgerState, SpendLimit, SpendRequest } from '../../../src/shared/spend-limit-types';
import { jsonBytes } from '../../../src/shared/stored-pages';
import {
  emptyLedger,
  limitReport,
  periodOf,
  pruneLedger,
  reserveSpend,
  setLimit,
  settleSpend,
  spendSettlementFor,
  SPENT_HOURS_KEPT_MS,
  timeZoneProblem,
} from '../../../src/shared/spend-limits';

const at = (iso: string) => Date.parse(iso);
const NOW = at('2026-12-05T10:30:00Z');
/** docs/batches.md, "Payload bounds": the spend ledger's carried state and its query. */
const LEDGER_BOUND_BYTES = 400 * 1024;

function limit(over: Partial<SpendLimit> = {}): SpendLimit {
  return {
    name: 'organisation-month',
    period: 'month',
    amount: '1000',
    currency: 'EUR',
    scope: { kind: 'organisation' },
    timeZone: 'UTC',
    setAt: '2026-12-01T00:00:00Z',
    ...over,
  };
}

function request(holder: string, amount: string, over: Partial<SpendRequest> = {}): SpendRequest {
  return { holder, amount, currency: 'EUR', contractId: 7, scheduleId: null, ...over };
}

function ledger(...limits: SpendLimit[]): LedgerState {
  const state = emptyLedger();
  for (const l of limits) setLimit(state, l);
  return state;
}

describe('periods', () => {
  test('calendar day, week (from Monday) and month in UTC; total has no bounds', () => {
    const iso = (p: { start: number | null; end: number | null }) =>
      [p.start, p.end].map((t) => t && new Date(t).toISOString());
    expect(iso(periodOf(limit({ period: 'day' }), NOW))).toEqual([
      '2026-12-05T00:00:00.000Z',
      '2026-12-06T00:00:00.000Z',
    ]);
    expect(iso(periodOf(limit({ period: 'week' }), NOW))).toEqual([
      '2026-11-30T00:00:00.000Z',
      '2026-12-07T00:00:00.000Z',
    ]);
    expect(iso(periodOf(limit({ period: 'month' }), NOW))).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
    ]);
    expect(periodOf(limit({ period: 'total' }), NOW)).toEqual({ start: null, end: null });
  });

  test('in a time zone: its own midnight, across a daylight-saving change', () => {
    const madrid = limit({ period: 'month', timeZone: 'Europe/Madrid' });
    // 30 Nov 23:30 UTC is already December in Madrid (UTC+1).
    const dec = periodOf(madrid, at('2026-11-30T23:30:00Z'));
    expect(new Date(dec.start as number).toISOString()).toBe('2026-11-30T23:00:00.000Z');
    // March has its change to summer time: the month starts at UTC+1 and ends at UTC+2.
    const march = periodOf(madrid, at('2026-03-15T12:00:00Z'));
    expect(new Date(march.start as number).toISOString()).toBe('2026-02-28T23:00:00.000Z');
    expect(new Date(march.end as number).toISOString()).toBe('2026-03-31T22:00:00.000Z');
  });

  test('time zones off the whole hour, and unknown ones, are refused with the reason', () => {
    expect(timeZoneProblem('UTC', NOW)).toBeNull();
    expect(timeZoneProblem('America/New_York', NOW)).toBeNull();
    expect(timeZoneProblem('Asia/Kolkata', NOW)).toMatch(/not a whole number of hours/);
    expect(timeZoneProblem('Mars/Olympus', NOW)).toMatch(/unknown time zone "Mars\/Olympus"/);
  });
});

describe('reservations', () => {
  test('a reservation that fits is held; one over what is left is refused, naming the limit and what is left', () => {
    const state = ledger(limit());
    expect(reserveSpend(state, request('p1', '600'), NOW)).toEqual({ granted: true });
    const refused = reserveSpend(state, request('p2', '400.01'), NOW);
    expect(refused).toMatchObject({ granted: false, limit: 'organisation-month', left: '400', currency: 'EUR' });
    expect(refused.granted === false && refused.reason).toBe(
      'spend limit "organisation-month" (month from 2026-12-01T00:00:00.000Z (UTC)): 400 EUR left of 1000, and this purchase costs 400.01 EUR',
    );
    expect(reserveSpend(state, request('p2', '400'), NOW)).toEqual({ granted: true });
    expect(limitReport(state, state.limits[0], NOW)).toMatchObject({ spent: '0', reserved: '1000', left: '0' });
  });

  test('asking again for the same holder gets its reservation back, not a second one', () => {
    const state = ledger(limit());
    reserveSpend(state, request('p1', '600'), NOW);
    expect(reserveSpend(state, request('p1', '600'), NOW)).toEqual({ granted: true });
    expect(state.reservations).toHaveLength(1);
  });

  test('scopes: a contract limit counts only its contract, a schedule limit only its runs', () => {
    const state = ledger(
      limit({ name: 'c7', scope: { kind: 'contract', contractId: 7 }, amount: '100' }),
      limit({ name: 's1', scope: { kind: 'schedule', scheduleId: 'nightly' }, amount: '50' }),
    );
    expect(reserveSpend(state, request('other-contract', '500', { contractId: 8 }), NOW).granted).toBe(true);
    expect(reserveSpend(state, request('c7-a', '80'), NOW).granted).toBe(true);
    expect(reserveSpend(state, request('c7-b', '30'), NOW)).toMatchObject({ granted: false, limit: 'c7' });
    expect(reserveSpend(state, request('run', '60', { contractId: 8, scheduleId: 'nightly' }), NOW)).toMatchObject({
      granted: false,
      limit: 's1',
    });
  });

  test('a purchase priced in another currency than a limit that applies is refused; an approved override is held', () => {
    const state = ledger(limit());
    expect(reserveSpend(state, request('usd', '1', { currency: 'USD' }), NOW)).toMatchObject({ granted: false });
    expect(reserveSpend(state, request('big', '5000', { override: true }), NOW)).toEqual({ granted: true });
    expect(limitReport(state, state.limits[0], NOW)).toMatchObject({ reserved: '5000', left: '0' });
  });
});

describe('settling', () => {
  test('paid: the reservation becomes spend in the period it was reserved in, at the order total', () => {
    const state = ledger(limit({ period: 'day' }));
    reserveSpend(state, request('p1', '100'), at('2026-12-05T23:59:00Z'));
    settleSpend(state, { holder: 'p1', outcome: 'SPENT', amount: '99.5' });
    expect(limitReport(state, state.limits[0], at('2026-12-05T23:59:30Z'))).toMatchObject({
      spent: '99.5',
      reserved: '0',
    });
    // Paid after midnight: still the day it was reserved in, not the next.
    expect(limitReport(state, state.limits[0], at('2026-12-06T00:01:00Z'))).toMatchObject({ spent: '0', left: '1000' });
  });

  test('released frees the money; an unpaid order keeps it until its deadline, then pruning frees it', () => {
    const state = ledger(limit());
    reserveSpend(state, request('gone', '300'), NOW);
    reserveSpend(state, request('unpaid', '200'), NOW);
    settleSpend(state, { holder: 'gone', outcome: 'RELEASED' });
    settleSpend(state, { holder: 'unpaid', outcome: 'UNPAID', orderId: 'o1', until: NOW + 1000 });
    settleSpend(state, { holder: 'unknown', outcome: 'RELEASED' }); // nothing to settle: ignored
    expect(limitReport(state, state.limits[0], NOW)).toMatchObject({
      reserved: '200',
      holders: [{ holder: 'unpaid', amount: '200', state: 'UNPAID' }],
    });
    pruneLedger(state, NOW + 1001);
    expect(limitReport(state, state.limits[0], NOW + 1001)).toMatchObject({ reserved: '0', left: '1000' });
  });

  test('reservations made while no limit existed (held without a check) count in a limit set later; settling twice counts once', () => {
    const state = emptyLedger();
    reserveSpend(state, request('paid', '250', { override: true }), NOW);
    reserveSpend(state, request('left-unpaid', '250', { override: true }), NOW);
    settleSpend(state, { holder: 'paid', outcome: 'SPENT', amount: '240' });
    settleSpend(state, { holder: 'paid', outcome: 'SPENT', amount: '240' }); // a retried settlement
    settleSpend(state, { holder: 'left-unpaid', outcome: 'UNPAID', orderId: 'o2', until: NOW + 1000 });
    setLimit(state, limit());
    expect(limitReport(state, state.limits[0], NOW)).toMatchObject({
      spent: '240',
      reserved: '250',
      holders: [{ holder: 'left-unpaid', amount: '250', state: 'UNPAID' }],
    });
  });

  test('old paid hours are summed away, and only total limits still count them', () => {
    const total = limit({ name: 'all', period: 'total', amount: '10000' });
    const state = ledger(limit(), total);
    reserveSpend(state, request('old', '100'), NOW);
    settleSpend(state, { holder: 'old', outcome: 'SPENT', amount: '100' });
    const later = NOW + SPENT_HOURS_KEPT_MS + 3_600_000;
    pruneLedger(state, later);
    expect(state.spentHours).toEqual([]);
    expect(limitReport(state, total, later).spent).toBe('100');
    expect(limitReport(state, state.limits[0], later).spent).toBe('0');
  });

  test("an ending purchase's settlement follows its order", () => {
    expect(spendSettlementFor('p', { orderId: null, orderStatus: null, total: '5' }, 9)).toEqual({
      holder: 'p',
      outcome: 'RELEASED',
    });
    expect(spendSettlementFor('p', { orderId: 'o', orderStatus: 'CANCELLED', total: '5' }, 9).outcome).toBe('RELEASED');
    expect(spendSettlementFor('p', { orderId: 'o', orderStatus: 'PAID', total: '5' }, 9)).toEqual({
      holder: 'p',
      outcome: 'SPENT',
      amount: '5',
    });
    expect(spendSettlementFor('p', { orderId: 'o', orderStatus: 'UNPAID', total: '5' }, 9)).toEqual({
      holder: 'p',
      outcome: 'UNPAID',
      orderId: 'o',
      until: 9,
    });
  });
});

test('the ledger state stays under its payload bound: a year of hourly spend on 4 contracts and 4 schedules, 1,000 reservations', () => {
  // The year is spent before the limits are set: what it leaves is the same, and 35,040 reservations each checked
  // against a month of paid hours took minutes of this suite. The last 1,000 are checked against both limits.
  const state = ledger();
  const start = at('2026-01-01T00:00:00Z');
  for (let hour = 0; hour < 365 * 24; hour++) {
    for (const contractId of [1, 2, 3, 4]) {
      const holder = `batch-2026-01-01T00:00:00Z/${hour}-${contractId}`;
      const when = start + hour * 3_600_000;
      reserveSpend(state, request(holder, '1234.56', { contractId, scheduleId: `schedule-${contractId}` }), when);
      settleSpend(state, { holder, outcome: 'SPENT', amount: '1234.56' });
    }
    if (hour % 24 === 0) pruneLedger(state, start + hour * 3_600_000);
  }
  pruneLedger(state, start + 365 * 24 * 3_600_000);
  setLimit(state, limit({ amount: '1000000000000' }));
  setLimit(state, limit({ name: 'all', period: 'total', amount: '1000000000000' }));
  for (let i = 0; i < 1_000; i++) {
    reserveSpend(state, request(`schedule-nightly-2026-12-31T00:00:00Z/${i}`, '99.99'), start + 365 * 24 * 3_600_000);
  }
  expect(state.spentHours).toHaveLength(40 * 24 * 4); // the last 40 days, per contract (and its schedule)
  expect(state.spentBefore).toHaveLength(4);
  expect(state.reservations).toHaveLength(1_000);
  expect(jsonBytes(state)).toBeLessThan(LEDGER_BOUND_BYTES);
  // The month's paid hours and the year's sum count: what is left of the total is under its amount.
  const end = start + 365 * 24 * 3_600_000;
  expect(reserveSpend(state, request('one-more', '999999000000'), end)).toMatchObject({ granted: false, limit: 'all' });
});
