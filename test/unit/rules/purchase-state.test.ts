import { adoptionRefusal, approvalRefusal, extensionRefusal } from '../../../src/shared/purchase-message-rules';
import {
  applyOrder,
  cancelledReason,
  carriedStateOf,
  initialStatus,
  paidBeforeCancelReason,
  resultOf,
} from '../../../src/shared/purchase-state';
import type { PurchaseInput } from '../../../src/shared/purchase-types';
import { businessFailure, invalidInput, unsettledReason } from '../../../src/shared/step-failures';
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { FAILURE } from '../../../src/shared/failure-types';

const input: PurchaseInput = { purchaseId: 'p1', items: [{ collection: 'c', item: 'i' }] };
const NOW = '2026-12-05T00:00:00.000Z';
const order = {
  orderId: 'o1',
  status: 'UNPAID',
  paymentMethod: null,
  checkoutUrl: 'https://pay',
  total: '9.50',
  currency: 'EUR',
};

test('a new purchase starts VALIDATING; a carried one resumes AWAITING_PAYMENT with its order', () => {
  const fresh = initialStatus(input, NOW);
  expect(fresh).toMatchObject({ stage: 'VALIDATING', orderId: null, startedAt: NOW, runs: 0, dropped: [] });
  expect(fresh).not.toHaveProperty('redriveOf');
  applyOrder(fresh, order);
  fresh.paymentDeadline = NOW;
  const carried = carriedStateOf(fresh, {
    contract: { contractId: 5, name: 'c', currency: 'EUR', organisationId: 1 },
    claimed: ['c/i'],
    spendReserved: false,
    nextPollMs: 30_000,
    paymentWaitStartedAt: null,
  });
  const resumed = initialStatus({ ...input, carried }, '2026-12-06T00:00:00.000Z');
  expect(resumed).toMatchObject({ stage: 'AWAITING_PAYMENT', orderId: 'o1', checkoutUrl: 'https://pay', runs: 1 });
  expect(resumed.startedAt).toBe(NOW);
});

test('an order seen keeps what it does not say, and tells when it is another order', () => {
  const status = initialStatus(input, NOW);
  expect(applyOrder(status, order)).toBe(true);
  expect(applyOrder(status, { ...order, status: null, checkoutUrl: null, total: null })).toBe(false);
  expect(status).toMatchObject({ orderStatus: 'UNPAID', checkoutUrl: 'https://pay', total: '9.50' });
});

test('a cancel says what became of the order; the result carries only what was set', () => {
  const status = initialStatus(input, NOW);
  expect(cancelledReason('cancelled', status)).toBe('cancelled; no order was created');
  status.attention = { reason: 'r', resolve: 'x', since: NOW };
  expect(cancelledReason('cancelled', status)).toMatch(/never settled/);
  applyOrder(status, order);
  expect(cancelledReason('cancelled', status)).toBe('cancelled; order o1 was left UNPAID');
  expect(paidBeforeCancelReason('changed my mind', status)).toBe(
    'order o1 was paid before the cancel (changed my mind) could stop it',
  );
  expect(resultOf(status, 'CANCELLED', 'why')).not.toHaveProperty('dropped');
});

test('updates are refused in a state that does not allow them, with why', () => {
  const status = initialStatus(input, NOW);
  expect(approvalRefusal(status, false)).toBe('nothing awaits approval: purchase p1 is VALIDATING');
  status.stage = 'AWAITING_APPROVAL';
  expect(approvalRefusal(status, false)).toBeNull();
  expect(approvalRefusal(status, true)).not.toBeNull();
  expect(adoptionRefusal(status, { orderId: 'with space' }, true, false)).toMatch(/orderId must be an order id/);
  status.stage = 'NEEDS_ATTENTION';
  expect(adoptionRefusal(status, { orderId: 'o9' }, true, false)).toBeNull();
  expect(adoptionRefusal(status, { orderId: 'o9' }, true, true)).toBe('an order is being adopted already');
  expect(extensionRefusal(status, { byMs: 0 })).toMatch(/positive number/);
  status.stage = 'COMPLETED';
  expect(extensionRefusal(status, { byMs: 1000 })).toBe('purchase p1 has already ended COMPLETED');
});

test('failures: an unknown outcome needs attention, an API refusal ends FAILED, bad input is neither', () => {
  const wrapped = (cause: ApplicationFailure) =>
    new ActivityFailure('activity failed', 'createOrderOnce', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);
  const unknown = wrapped(ApplicationFailure.nonRetryable('reply lost', FAILURE.orderOutcomeUnknown));
  expect(unsettledReason(unknown)).toBe('reply lost');
  const refused = wrapped(ApplicationFailure.nonRetryable('unknown item c/i', 'UnknownItem'));
  expect([unsettledReason(refused), businessFailure(refused)]).toEqual([null, 'unknown item c/i']);
  const bad = invalidInput('purchase', ['items: at least one line item is required']);
  expect([bad.type, bad.message, businessFailure(bad)]).toEqual([
    'InvalidInput',
    'invalid purchase: items: at least one line item is required',
    null,
  ]);
});
