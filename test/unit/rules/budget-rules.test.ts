import { groupPurchaseInput } from '../../../src/shared/batch-groups';
import { approvalOutcome, currencyMismatch, overBudget } from '../../../src/shared/budget-rules';

const quote = { lineItems: [], total: '100.10', currency: 'EUR' };

test('a quote over the budget says by how much; within it, or without one, nothing', () => {
  expect(overBudget(quote, { maxTotal: '100.09', approval: 'reject' })).toBe(
    'total 100.10 EUR is over the budget of 100.09 EUR',
  );
  expect(overBudget(quote, { maxTotal: '100.1', approval: 'reject' })).toBeNull();
  expect(overBudget(quote, undefined)).toBeNull();
});

test("a line over its own most is over the budget, whatever the total; the batch's planned prices are those", () => {
  const lines = [
    { collection: 'c', item: 'a', level: 'L1C', price: '90', currency: 'EUR' },
    { collection: 'c', item: 'b', level: 'L1C', price: '40', currency: 'EUR' },
  ];
  const budget = groupPurchaseInput(
    { batchId: 'b', items: [], budget: '1000' },
    { contractId: 5, currency: 'EUR' },
    'b/0',
    [
      { collection: 'c', item: 'a', level: 'L1C', price: '50' },
      { collection: 'c', item: 'b', level: 'L1C', price: '80' },
    ],
  ).budget;
  // 130 planned, 130 quoted: a rose by what b fell, and a is not bought at 90.
  expect(overBudget({ lineItems: lines, total: '130', currency: 'EUR' }, budget)).toBe(
    'c/a costs 90 EUR, over the 50 EUR planned for it',
  );
  // b dropped (another purchase holds it): a alone, within the group's total, still over its own.
  expect(overBudget({ lineItems: lines.slice(0, 1), total: '90', currency: 'EUR' }, budget)).not.toBeNull();
  const cheaper = lines.map((line) => ({ ...line, price: '40' }));
  expect(overBudget({ lineItems: cheaper, total: '80', currency: 'EUR' }, budget)).toBeNull();
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
