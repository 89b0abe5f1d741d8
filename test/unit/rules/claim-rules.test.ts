import { nothingLeftToBuy, settlementFor, sortGrants } from '../../../src/shared/claim-rules';
import type { ClaimGrant } from '../../../src/shared/claim-types';

const lines = ['a', 'b', 'c'].map((item) => ({ collection: 'c', item }));
const grants: ClaimGrant[] = [
  { item: 'c/a', granted: true },
  { item: 'c/b', granted: false, outcome: 'ALREADY_OWNED', orderId: 'o-b', holder: 'p-old' },
  { item: 'c/c', granted: false, outcome: 'IN_FLIGHT', holder: 'p-other', orderId: null },
];

test('granted items are claimed, owned and held ones dropped with who owns or holds them', () => {
  const sorted = sortGrants(lines, grants, 'drop');
  expect(sorted.granted).toEqual(['c/a']);
  expect(sorted.waitFor).toEqual([]);
  expect(sorted.dropped).toEqual([
    { collection: 'c', item: 'b', outcome: 'ALREADY_OWNED', purchaseId: 'p-old', orderId: 'o-b' },
    { collection: 'c', item: 'c', outcome: 'IN_FLIGHT', purchaseId: 'p-other', orderId: null },
  ]);
});

test('with `wait`, held items are waited for, not dropped; owned ones are still dropped', () => {
  const sorted = sortGrants(lines, grants, 'wait');
  expect(sorted.waitFor).toEqual([{ collection: 'c', item: 'c' }]);
  expect(sorted.dropped.map((d) => d.item)).toEqual(['b']);
});

test('nothing left: ALREADY_OWNED when another purchase owns them all, else IN_FLIGHT, with the reasons', () => {
  const { dropped } = sortGrants(lines.slice(1), grants, 'drop');
  expect(nothingLeftToBuy(dropped)).toEqual({
    end: 'IN_FLIGHT',
    reason: 'c/b already bought in PAID order o-b; c/c being bought by purchase p-other',
  });
  expect(nothingLeftToBuy(dropped.slice(0, 1)).end).toBe('ALREADY_OWNED');
});

test('claims are left owned with a PAID order, watched through an order that may be paid, else released', () => {
  expect(settlementFor('COMPLETED', 'o1', 'PAID')).toEqual({ outcome: 'OWNED', orderId: 'o1' });
  expect(settlementFor('EXPIRED', 'o1', 'UNPAID')).toEqual({ outcome: 'WATCH', orderId: 'o1' });
  expect(settlementFor('CANCELLED', 'o1', 'CANCELLED')).toEqual({ outcome: 'RELEASED' });
  expect(settlementFor('FAILED', null, null)).toEqual({ outcome: 'RELEASED' });
  // A create whose fate was never settled, then cancelled: no order is known, nothing to watch.
  expect(settlementFor('CANCELLED', null, null)).toEqual({ outcome: 'RELEASED' });
});
