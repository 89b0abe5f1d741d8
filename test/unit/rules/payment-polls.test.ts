import {
  expiredReason,
  nextPoll,
  notFinalPastDeadline,
  paymentState,
  refusedReadReason,
} from '../../../src/shared/payment-polls';
import type { OrderSummary } from '../../../src/shared/purchase-types';

const schedule = { firstMs: 15_000, factor: 1.5, capMs: 300_000 };
const order = (status: string | null): OrderSummary => ({
  orderId: 'o1',
  status,
  paymentMethod: null,
  checkoutUrl: null,
  total: null,
  currency: null,
});

describe('the next poll', () => {
  test('grows by the factor up to the cap', () => {
    let current = schedule.firstMs;
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const poll = nextPoll(schedule, current, Infinity);
      waits.push(poll.sleepMs);
      current = poll.nextPollMs;
    }
    expect(waits.slice(0, 4)).toEqual([15_000, 22_500, 33_750, 50_625]);
    expect(Math.max(...waits)).toBe(300_000);
    expect(waits.at(-1)).toBe(300_000);
  });

  test('after a payment notice the order does not show yet, starts again from the first interval', () => {
    expect(nextPoll(schedule, 300_000, Infinity, true)).toEqual({ sleepMs: 15_000, nextPollMs: 22_500 });
    expect(nextPoll(schedule, 300_000, 5_000, true).sleepMs).toBe(5_000);
    expect(nextPoll(schedule, 300_000, Infinity).sleepMs).toBe(300_000);
  });

  test('never sleeps past a deadline still ahead; after it, keeps the interval (an unreadable order is polled on)', () => {
    expect(nextPoll(schedule, 60_000, 5_000).sleepMs).toBe(5_000);
    expect(nextPoll(schedule, 60_000, -1).sleepMs).toBe(60_000);
  });
});

describe('what an order seen now means', () => {
  test('paid and cancelled at once, whatever the deadline', () => {
    expect(paymentState(order('PAID'), -1, false)).toBe('PAID');
    expect(paymentState(order('CANCELLED'), 1_000, false)).toBe('CANCELLED');
  });

  test('unpaid at the deadline expires; unreadable, or needing attention, waits on', () => {
    expect(paymentState(order('UNPAID'), 0, false)).toBe('EXPIRED');
    expect(paymentState(order('UNPAID'), 1, false)).toBe('WAITING');
    expect(paymentState(null, -1, true)).toBe('WAITING');
    expect(paymentState(order('UNPAID'), -1, true)).toBe('WAITING');
  });

  test('a poll that failed at the deadline does not expire it (it may have been paid): polled on until read', () => {
    expect(paymentState(null, 0, false)).toBe('WAITING');
    expect(paymentState(null, -60_000, false)).toBe('WAITING');
    // Executions from before the rule replay as they ran: their failed poll at the deadline expired them.
    expect(paymentState(null, -1, false, true)).toBe('EXPIRED');
    expect(paymentState(null, -1, true, true)).toBe('WAITING');
  });

  test('an order in a status not documented, or whose status was left out, waits on past the deadline', () => {
    expect(paymentState(order('PROCESSING'), -1, false)).toBe('WAITING');
    expect(paymentState(order(null), -1, false)).toBe('WAITING');
    // Executions from before the rule replay as they ran: any status but PAID and CANCELLED expired them.
    expect(paymentState(order('PROCESSING'), -1, false, false, false)).toBe('EXPIRED');
    expect(notFinalPastDeadline('o1', 'PROCESSING')).toBe(
      'order o1 is PROCESSING, a status DataCosmos does not document, past the payment deadline: waiting for it to ' +
        'be PAID or CANCELLED',
    );
  });

  test('an order the API refuses to show is named, and said to be possibly paid', () => {
    expect(refusedReadReason('o1', 'token: unknown client or wrong client secret')).toBe(
      'order o1 cannot be read (the API refuses: token: unknown client or wrong client secret); it may still be ' +
        'paid, so it is not failed',
    );
  });

  test('an expiry names the order, the deadline and the payment link', () => {
    expect(expiredReason('o1', '2026-01-01T00:00:00.000Z', 'https://pay/x')).toBe(
      'order o1 was still UNPAID at the payment deadline 2026-01-01T00:00:00.000Z; payment link: https://pay/x',
    );
  });
});
