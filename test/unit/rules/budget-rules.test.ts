import { approvalOutcome, currencyMismatch, overBudget } from '../../../src/shared/budget-rules';

const quote = { lineItems: [], total: '100.10', currency: 'EUR' };

test('a quote over the budget says by how much; within it, or without one, nothing', () => {
  expect(overBudget(quote, { maxTotal: '100.09', approval: 'reject' })).toBe(
    'total 100.10 EUR is over the budget of 100.09 EUR',
  );
  expect(overBudget(quote, { maxTotal: '100.1', approval: 'reject' })).toBeNull();
  expect(overBudget(quote, undefined)).toBeNull();
});

test('an approval wait: approved goes on, denied and timed out end REJECTED with why', () => {
  const over = 'total 2 EUR is over the budget of 1 EUR';
  expect(approvalOutcome(over, { approved: true }, 60_000)).toEqual({ approval: 'APPROVED' });
  expect(approvalOutcome(over, { approved: false, note: 'too dear' }, 60_000)).toEqual({
    approval: 'DENIED',
    end: { end: 'REJECTED', reason: `${over}; approval denied: too dear` },
  });
  expect(approvalOutcome(over, null, 90 * 60_000)).toEqual({
    approval: 'TIMED_OUT',
    end: { end: 'REJECTED', reason: `${over}; no approval within 90m` },
  });
});

test('a budget in another currency than the contract is named, one message for purchase and batch', () => {
  expect(currencyMismatch('USD', { contractId: 5001, currency: 'EUR' })).toBe(
    "budget currency USD differs from contract 5001's currency EUR",
  );
  expect(currencyMismatch('EUR', { contractId: 5001, currency: 'EUR' })).toBeNull();
  expect(currencyMismatch(undefined, { contractId: 5001, currency: 'EUR' })).toBeNull();
});
