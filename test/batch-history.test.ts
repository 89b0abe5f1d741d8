/**
 * A 10,000-item batch keeps each run's history bounded: it continues as new at the configured event limit
 * and still reports one row per item. The per-item price limit is tiny, so nothing is bought and the test
 * stays fast; the planning path (search pages, batch pricing, ownership and in-flight checks) is the real one.
 */
import { runBatch } from './support/batch-env';
import { PurchaseEnv } from './support/purchase-env';
import { startInProcess, type InProcessSimulator } from '../harness/simulator';

let sim: InProcessSimulator;
let env: PurchaseEnv;

beforeAll(async () => {
  sim = await startInProcess({ items: 10_000 });
  env = await PurchaseEnv.start({ sim });
}, 60_000);

afterAll(async () => {
  await env?.close();
  await sim?.close();
});

test('10,000 items: every run stays under the event limit, every item has a row', async () => {
  const limit = 40;
  const handle = await runBatch(env, {
    search: { maxItems: 10_000 },
    budget: '1000000',
    maxPricePerItem: '0.01',
    historyEventLimit: limit,
  });
  const result = await handle.result();
  expect(await env.batchItems(result)).toHaveLength(10_000);
  // Other test files share the Temporal namespace, and a purchase of theirs still waiting on payment can hold
  // one of these (simulator-generated, so equal) item ids: that item is rightly IN_FLIGHT, not skipped.
  expect((result.counts.SKIPPED_PRICE ?? 0) + (result.counts.IN_FLIGHT ?? 0)).toBe(10_000);
  expect(result.counts.SKIPPED_PRICE).toBeGreaterThan(9_900);
  expect(result.runs).toBeGreaterThanOrEqual(2);
  const runs = [];
  for await (const run of env.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) runs.push(run);
  expect(runs.length).toBe(result.runs + 1);
  // One planning step (about six events) may start just under the limit; each run's first task also records its
  // patch markers (the notifications decision, and the search attribute that lists patches).
  for (const run of runs) expect(run.historyLength).toBeLessThanOrEqual(limit + 15);
}, 120_000);
