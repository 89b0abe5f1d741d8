import { derivePurchaseId } from '../../src/cli/purchase-key';
import { targetName, targetTaskQueue } from '../../src/shared/target';
import { MAX_DURATION_MS, parseDuration } from '../../src/shared/duration';
import { parseItemRef } from '../../src/cli/options';
import type { PurchaseInput } from '../../src/shared/purchase-types';
import { purchaseInputProblems } from '../../src/shared/purchase-validation';

const valid: PurchaseInput = { purchaseId: 'p-1', items: [{ collection: 'menut-l1c-cogs', item: 'A' }] };

describe('purchase input validation', () => {
  test('accepts a minimal purchase', () => {
    expect(purchaseInputProblems(valid)).toEqual([]);
  });

  test.each<[string, Partial<PurchaseInput>, string]>([
    ['no items', { items: [] }, 'items: at least one line item is required'],
    [
      'duplicate items',
      {
        items: [
          { collection: 'c', item: 'i' },
          { collection: 'c', item: 'i' },
        ],
      },
      'items[1]: duplicate item c/i',
    ],
    ['empty collection', { items: [{ collection: ' ', item: 'i' }] }, 'items[0].collection: required'],
    [
      'geometry without project',
      { items: [{ collection: 'c', item: 'i', geometry: { type: 'Point', coordinates: [0, 0] } }] },
      'geometry and projectId go together',
    ],
    [
      'negative budget',
      { budget: { maxTotal: '-5', approval: 'reject' } },
      'budget.maxTotal: must be a positive decimal amount, got "-5"',
    ],
    ['non-numeric budget', { budget: { maxTotal: 'ten', approval: 'reject' } }, 'budget.maxTotal'],
    ['bad currency', { budget: { maxTotal: '5', currency: 'euro', approval: 'reject' } }, 'budget.currency'],
    ['bad approval mode', { budget: { maxTotal: '5', approval: 'maybe' as 'wait' } }, 'budget.approval'],
    ['zero payment window', { paymentWindowMs: 0 }, 'paymentWindowMs'],
    ['a payment window no date can end', { paymentWindowMs: 200_000_000 * 86_400_000 }, 'paymentWindowMs'],
    [
      'an approval wait past ten years',
      { budget: { maxTotal: '1', approval: 'wait', approvalTimeoutMs: MAX_DURATION_MS + 1 } },
      'approvalTimeoutMs',
    ],
    ['poll cap below first', { poll: { firstMs: 1000, factor: 2, capMs: 10 } }, 'poll.capMs'],
    ['bad purchase id', { purchaseId: 'has space' }, 'purchaseId'],
    ['bad contract', { contractId: -3 }, 'contractId'],
  ])('%s', (_name, change, message) => {
    const problems = purchaseInputProblems({ ...valid, ...change });
    expect(problems.join('\n')).toContain(message);
  });
});

describe('purchase key', () => {
  test('is the same for the same items in any order and differs by contract, organisation or API', () => {
    const a = [
      { collection: 'c', item: '1' },
      { collection: 'c', item: '2' },
    ];
    const b = [...a].reverse();
    const real = { apiUrl: 'https://app.open-cosmos.com', organisationId: 1001 };
    expect(derivePurchaseId(real, undefined, a)).toBe(derivePurchaseId(real, undefined, b));
    expect(derivePurchaseId(real, undefined, a)).not.toBe(derivePurchaseId(real, 5002, a));
    expect(derivePurchaseId(real, undefined, a)).not.toBe(
      derivePurchaseId({ ...real, organisationId: 1002 }, undefined, a),
    );
    const test = { ...real, apiUrl: 'https://test.app.open-cosmos.com' };
    expect(derivePurchaseId(real, undefined, a)).not.toBe(derivePurchaseId(test, undefined, a));
    expect(derivePurchaseId(real, undefined, a)).toMatch(/^purchase-1001-[0-9a-f]{20}$/);
  });
});

describe('DataCosmos targets', () => {
  test('are named by organisation and API host (and path), and each has its own task queue', () => {
    expect(targetName({ apiUrl: 'https://app.open-cosmos.com', organisationId: 42 })).toBe('42@app.open-cosmos.com');
    expect(targetName({ apiUrl: 'http://127.0.0.1:8787/', organisationId: 1001 })).toBe('1001@127.0.0.1:8787');
    expect(targetName({ apiUrl: 'https://gw.example.com/datacosmos/', organisationId: 7 })).toBe(
      '7@gw.example.com/datacosmos',
    );
    expect(targetTaskQueue('datacosmos-purchase', { apiUrl: 'https://app.open-cosmos.com', organisationId: 42 })).toBe(
      'datacosmos-purchase/42@app.open-cosmos.com',
    );
  });
});

describe('command-line values', () => {
  test('durations', () => {
    expect(parseDuration('72h', 'x')).toBe(72 * 3600_000);
    expect(parseDuration('1h30m', 'x')).toBe(90 * 60_000);
    expect(parseDuration('500ms', 'x')).toBe(500);
    expect(() => parseDuration('soon', '--by')).toThrow('--by: "soon" is not a duration');
    expect(() => parseDuration('0s', '--by')).toThrow('must be longer than zero');
    expect(() => parseDuration('0.4ms', '--by')).toThrow('--by: must be longer than zero (1ms at least)');
    // Far longer would pass as a number and fail as a date inside the workflow, after the checkout.
    expect(parseDuration('3650d', 'x')).toBe(MAX_DURATION_MS);
    expect(() => parseDuration('200000000d', '--payment-window')).toThrow('--payment-window: must be at most 3650d');
  });

  test('items', () => {
    expect(parseItemRef('menut-l1c-cogs/ITEM_1')).toEqual({ collection: 'menut-l1c-cogs', item: 'ITEM_1' });
    expect(parseItemRef('c/i@L1C')).toEqual({ collection: 'c', item: 'i', level: 'L1C' });
    expect(() => parseItemRef('just-an-item')).toThrow('must be COLLECTION/ITEM or COLLECTION/ITEM@LEVEL');
  });
});
