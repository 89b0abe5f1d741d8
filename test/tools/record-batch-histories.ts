/**
 * Records batch workflow histories into test/histories/<version>/ for the replay test (`npm run histories:record`):
 * a batch that completes with several outcomes, one that continues as new (its first and last runs), one cancelled
 * while its purchases await payment, a search read in chunks planned while purchases run, and a coverage batch.
 */
import { batchCancelSignal } from '../../src/shared/batch-messages';
import type { BatchResult } from '../../src/shared/batch-types';
import { compare } from '../../src/shared/money';
import { regionAoi, runBatch, searchWithPrices } from '../support/batch-env';
import { saveHistory } from '../support/histories';
import { onePurchaseEnvPerFile, PurchaseEnv } from '../support/purchase-env';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));

const save = (scenario: string, workflowId: string, runId?: string) =>
  saveHistory(env, 'batch', scenario, workflowId, runId);

test('record', async () => {
  // Outcomes, in input order: owned already, paid, over the per-item price, over the budget, unknown.
  const [owned, ...others] = await searchWithPrices(env, { collections: ['platero-l1c-cogs'] }, 5);
  // Cheapest first: the budget buys `paid` alone, `dear` is over the per-item limit that `overBudget` is under.
  const [paid, overBudget, limit, dear] = others.sort((a, b) => compare(a.price, b.price));
  await (await env.buy({ items: [owned] })).result();
  const unknown = { collection: 'platero-l1c-cogs', item: 'NO_SUCH_ITEM' };
  const outcomes = await runBatch(env, {
    items: [owned, paid, dear, overBudget, unknown].map(({ collection, item }) => ({ collection, item })),
    budget: paid.price,
    maxPricePerItem: limit.price,
  });
  const result: BatchResult = await outcomes.result();
  expect(result.counts).toMatchObject({ ALREADY_OWNED: 1, PAID: 1, SKIPPED_PRICE: 1, SKIPPED_BUDGET: 1, FAILED: 1 });
  save('completed-outcomes', outcomes.workflowId);

  const long = await runBatch(env, {
    items: await env.items(4),
    budget: '100000',
    concurrency: 1,
    historyEventLimit: 25,
  });
  const first = await long.describe();
  expect((await long.result()).runs).toBeGreaterThanOrEqual(1);
  save('continued-as-new-first-run', long.workflowId, first.runId);
  save('continued-as-new-last-run', long.workflowId);

  await env.admin.setCredits(env.account.organisation, '0');
  try {
    const cancelled = await runBatch(env, { items: await env.items(2), budget: '100000', concurrency: 2 });
    for (const group of [0, 1]) {
      await env.waitForStage(env.client.workflow.getHandle(`${cancelled.workflowId}/${group}`), 'AWAITING_PAYMENT');
    }
    await cancelled.signal(batchCancelSignal, 'recorded');
    expect((await cancelled.result()).end).toBe('CANCELLED');
    save('cancelled', cancelled.workflowId);
  } finally {
    await env.admin.setCredits(env.account.organisation, '100000');
  }

  // A search read in chunks of 5, each planned while the purchases of the one before run.
  const search = await runBatch(env, {
    search: { collections: ['mantis-l1d-cogs'], maxItems: 12 },
    chunkSize: 5,
    itemsPerOrder: 3,
    concurrency: 2,
    budget: '100000',
  });
  expect((await search.result()).examined).toBe(12);
  save('search-chunks', search.workflowId);

  // An area of interest: the plan recorded, its stored picks read back and bought.
  const coverage = await runBatch(env, { coverage: { aoi: regionAoi(12).geometry }, budget: '100000', concurrency: 4 });
  expect((await coverage.result()).coverage?.boughtPct).toBeGreaterThan(0);
  save('coverage', coverage.workflowId);
}, 180_000);
