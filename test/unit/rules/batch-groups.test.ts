import { groupEnded, groupFailed, groupPurchaseInput } from '../../../src/shared/batch-groups';
import { ITEM_OUTCOMES, startingState, type BatchInput, type PlannedItem } from '../../../src/shared/batch-types';
import type { PurchaseResult } from '../../../src/shared/purchase-types';

const group: PlannedItem[] = [
  { collection: 'c', item: 'a', level: 'L1C', price: '10.00' },
  { collection: 'c', item: 'b', level: 'L1C', price: '5.50', coverKm2: 3 },
];
const batch: BatchInput = { batchId: 'b1', items: [], budget: '100', poll: { firstMs: 1, factor: 1, capMs: 1 } };
const result = (end: PurchaseResult['end'], extra: Partial<PurchaseResult> = {}): PurchaseResult => ({
  purchaseId: 'b1/0',
  end,
  reason: end === 'COMPLETED' ? null : 'why',
  organisationId: 1,
  contractId: 5,
  orderId: end === 'COMPLETED' ? 'o1' : null,
  orderStatus: end === 'COMPLETED' ? 'PAID' : null,
  total: end === 'COMPLETED' ? '15.00' : null,
  currency: 'EUR',
  paymentMethod: null,
  checkoutUrl: null,
  lineItems: group.map((line) => ({ ...line, price: line.item === 'a' ? '9.50' : '5.50', currency: 'EUR' })),
  polls: 0,
  startedAt: '',
  endedAt: '',
  ...extra,
});

test("a group's purchase has its planned total as its own budget, in the contract's currency", () => {
  const input = groupPurchaseInput(batch, { contractId: 5, currency: 'EUR' }, 'b1/0', group);
  expect(input).toMatchObject({
    purchaseId: 'b1/0',
    contractId: 5,
    batchId: 'b1',
    budget: { maxTotal: '15.5', currency: 'EUR', approval: 'reject', maxLinePrices: { 'c/a': '10.00', 'c/b': '5.50' } },
    poll: batch.poll,
  });
  expect(input.items).toEqual(group.map(({ collection, item, level }) => ({ collection, item, level })));
});

test('a paid group releases its planned total and spends what was paid; rows carry the prices charged', () => {
  const ended = groupEnded(group, { reserved: '15.50', spent: '1' }, result('COMPLETED'));
  expect([ended.reserved, ended.spent]).toEqual(['15', '16']);
  expect(ended.rows.map(({ row, coverKm2 }) => [row.outcome, row.price, row.orderId, coverKm2])).toEqual([
    ['PAID', '9.50', 'o1', undefined],
    ['PAID', '5.50', 'o1', 3],
  ]);
});

test('an unpaid end releases the money; an item another purchase owned says so; a failed start fails every item', () => {
  const dropped = [{ collection: 'c', item: 'b', outcome: 'ALREADY_OWNED' as const, purchaseId: 'p0', orderId: 'o0' }];
  const ended = groupEnded(group, { reserved: '15.50', spent: '0' }, result('EXPIRED', { dropped }));
  expect([ended.reserved, ended.spent]).toEqual(['0', '0']);
  expect(ended.rows.map(({ row }) => [row.outcome, row.reason])).toEqual([
    ['EXPIRED', 'why'],
    ['ALREADY_OWNED', 'already bought in PAID order o0'],
  ]);
  const failed = groupFailed(group, { reserved: '20', spent: '3' }, 'purchase b1/0 failed: x');
  expect([failed.reserved, failed.spent, failed.rows.every(({ row }) => row.outcome === 'FAILED')]).toEqual([
    '4.5',
    '3',
    true,
  ]);
});

test('a purchase that ended leaving an order that can still be paid keeps its money reserved', () => {
  const left = { orderId: 'o2', orderStatus: 'UNPAID', reason: 'cancelled; order o2 was left UNPAID' };
  for (const end of ['CANCELLED', 'FAILED'] as const) {
    // Released, the money bought other items, and the batch went over its budget once o2 was paid.
    expect(groupEnded(group, { reserved: '15.50', spent: '0' }, result(end, left), true).reserved).toBe('15.5');
    expect(groupEnded(group, { reserved: '15.50', spent: '0' }, result(end, left)).reserved).toBe('0');
  }
  // A create whose outcome was never settled may have made (and paid) an order: its money is kept too.
  const unsettled = result('CANCELLED', { createUnsettled: true });
  expect(groupEnded(group, { reserved: '15.50', spent: '0' }, unsettled, true).reserved).toBe('15.5');
  // Nothing left to pay: an order cancelled, none made, or the deadline passed (EXPIRED).
  for (const [end, extra] of [
    ['CANCELLED', { orderId: 'o2', orderStatus: 'CANCELLED' }],
    ['CANCELLED', {}],
    ['EXPIRED', { orderId: 'o2', orderStatus: 'UNPAID' }],
  ] as const) {
    expect(groupEnded(group, { reserved: '15.50', spent: '0' }, result(end, extra), true).reserved).toBe('0');
  }
});

test('an item found owned that the purchase delivered carries its delivery, a failed one with why', () => {
  const dropped = [
    { collection: 'c', item: 'a', outcome: 'ALREADY_OWNED' as const, purchaseId: 'p0', orderId: 'o0' },
    { collection: 'c', item: 'b', outcome: 'ALREADY_OWNED' as const, purchaseId: 'p0', orderId: 'o0' },
  ];
  const delivery = [
    { collection: 'c', item: 'a', state: 'FAILED' as const, files: [], reason: 'NoSuchBucket' },
    { collection: 'c', item: 'b', state: 'DELIVERED' as const, files: [], reason: null },
  ];
  const ended = groupEnded(group, { reserved: '15.50', spent: '0' }, result('ALREADY_OWNED', { dropped, delivery }));
  expect(ended.rows.map(({ row }) => [row.outcome, row.delivery, row.reason])).toEqual([
    ['ALREADY_OWNED', 'FAILED', 'already bought in PAID order o0; NoSuchBucket'],
    ['ALREADY_OWNED', 'DELIVERED', 'already bought in PAID order o0'],
  ]);
});

test('a new batch starts with nothing examined, spent or counted, its rows stored under its own id', () => {
  const state = startingState({ batchId: 'b1', currency: 'EUR' }, '2026-12-06T00:00:00.000Z');
  expect(state).toMatchObject({ runs: 0, contractId: 0, currency: 'EUR', examined: 0, reserved: '0', spent: '0' });
  expect(Object.keys(state.counts).sort()).toEqual([...ITEM_OUTCOMES].sort());
  expect(Object.values(state.counts).every((n) => n === 0)).toBe(true);
  expect(state.rowPages).toMatchObject({ owner: { kind: 'workflow', id: 'b1' }, name: 'rows', pages: 0 });
});
