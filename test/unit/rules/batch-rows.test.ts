/**
 * The batch's rows: a page is stored once they fill one, and rows added while that page is being stored (a purchase
 * ending, a chunk planned) are kept. Before the batch's patch they were dropped with the page's rows.
 */
import { startingState, type BatchInput, type ItemReport } from '../../../src/shared/batch-types';
import { PAGE_BYTES } from '../../../src/shared/stored-pages';
import { BatchRows } from '../../../src/workflows/batch-rows';

jest.mock('@temporalio/workflow', () => ({ workflowInfo: () => ({ taskQueue: 'q' }) }));

const input: BatchInput = { batchId: 'b1', items: [], budget: '100', poll: { firstMs: 1, factor: 1, capMs: 1 } };
const row = (n: number): ItemReport => ({
  collection: 'menut-l1c-cogs',
  item: `ITEM_${n}_${'x'.repeat(100)}`,
  outcome: 'PAID',
  price: '1.00',
  orderId: `order-${n}`,
  reason: null,
  delivery: null,
});

async function storeWhileAdding(keepsLateRows: boolean): Promise<{ stored: number; carried: number; added: number }> {
  const state = startingState(input, '2026-12-07T00:00:00Z');
  let stored = 0;
  let release: () => void = () => undefined;
  const pages = {
    storePage: async ({ values }: { values: unknown[] }) => {
      stored += values.length;
      await new Promise<void>((resolve) => (release = resolve));
    },
    readStoredPage: async () => [],
  } as unknown as ConstructorParameters<typeof BatchRows>[1];
  const rows = new BatchRows(state, pages, keepsLateRows);
  let added = 0;
  while (JSON.stringify(state.rows).length < PAGE_BYTES) rows.add(row(added++));
  const storing = rows.storeFullPages();
  await new Promise((resolve) => setImmediate(resolve));
  // A purchase ends while the page is stored.
  rows.add(row(added++));
  release();
  await storing;
  return { stored, carried: state.rows.length, added };
}

test('a row added while a page is stored is kept: every row is stored or carried, once', async () => {
  const { stored, carried, added } = await storeWhileAdding(true);
  expect(stored + carried).toBe(added);
});

test('before the patch, histories replay dropping it as they did', async () => {
  const { stored, carried, added } = await storeWhileAdding(false);
  expect(stored + carried).toBe(added - 1);
});
