/**
 * Coverage batches (`dcp batch --aoi`) on a real Temporal server and the simulator's coverage region: a dry run
 * plans and buys nothing; a budget below the plan's cost stops there with the coverage it reached; a batch with
 * room reaches its target at the cost it reports, imagery bought before counting as free coverage. The simulator's
 * audit is the judge: line items carry the plan's sub-areas and project, and are charged their sub-area prices.
 */
import turfArea from '@turf/area';
import type { Polygon } from 'geojson';
import { progressQuery } from '../src/shared/batch-messages';
import type { BatchResult } from '../src/shared/batch-types';
import type { CoveragePlanRecord } from '../src/shared/coverage-types';
import { add, compare } from '../src/shared/money';
import { coveredPct, regionAoi, runBatch } from './support/batch-env';
import { onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));

const aoi = regionAoi(12);
const RATE = 2.5; // ACME's default contract, per km²

async function coverageBatch(extra: { budget: string; dryRun?: boolean }): Promise<BatchResult> {
  const handle = await runBatch(env, {
    coverage: { aoi: aoi.geometry, ...(extra.dryRun ? { dryRun: true } : {}) },
    budget: extra.budget,
    concurrency: 4,
  });
  return handle.result();
}

const keyOf = (line: { collection: string; item: string }) => `${line.collection}/${line.item}`;

/** Every pick bought by this batch is in exactly one PAID order, whose line carries its sub-area at its price. */
async function expectBoughtAsPlanned(result: BatchResult): Promise<void> {
  const plan = result.coveragePlan as CoveragePlanRecord;
  const orders = await env.admin.orders(env.account.organisation);
  for (const pick of (await env.coveragePicks(plan)).filter((p) => !p.owned)) {
    const holding = orders.filter((o) => o.items.some((line) => keyOf(line) === keyOf(pick)));
    expect(holding.map((o) => o.status)).toEqual(['PAID']);
    const line = holding[0].items.find((l) => keyOf(l) === keyOf(pick)) as Record<string, unknown>;
    // The same amount: the API may write it with trailing zeros (384.70 for 384.7).
    expect(compare(String(line.price), pick.price)).toBe(0);
    if (pick.geometry === null) {
      expect(line.geometry).toBeUndefined();
      continue;
    }
    expect(line).toMatchObject({ geometry: pick.geometry, project_id: result.batchId });
    // The sub-area price: the contract's rate times the clipped area, to the cent.
    expect(Number(line.price)).toBeCloseTo((RATE * turfArea(pick.geometry as Polygon)) / 1e6, 1);
  }
}

let planned: CoveragePlanRecord;

test('--dry-run: the plan is recorded and reported, nothing is bought', async () => {
  const before = (await env.admin.orders(env.account.organisation)).length;
  const result = await coverageBatch({ budget: '100000', dryRun: true });
  planned = result.coveragePlan as CoveragePlanRecord;
  const plannedPicks = await env.coveragePicks(planned);
  expect(result).toMatchObject({ end: 'COMPLETED', spent: '0', rows: [], rowPages: { count: 0 } });
  expect(planned.picks.count).toBe(plannedPicks.length);
  expect(planned.stoppedBy).toBe('target');
  expect(planned.coveragePct).toBeGreaterThanOrEqual(98);
  expect(plannedPicks.length).toBeGreaterThanOrEqual(2);
  expect(plannedPicks.some((p) => p.geometry !== null)).toBe(true);
  expect(planned.candidates).toBeGreaterThan(plannedPicks.length);
  expect(compare(planned.cost, '0')).toBe(1);
  expect(planned.cost).toBe(add('0', ...plannedPicks.map((p) => p.price)));
  // The target: at most half of buying every intersecting scene whole.
  expect(Number(planned.cost)).toBeLessThanOrEqual(0.5 * Number(planned.baselines?.naiveCost));
  expect(coveredPct(aoi, plannedPicks)).toBeGreaterThanOrEqual(98);
  expect(result.coverage).toMatchObject({ dryRun: true, boughtPct: 0, plannedCost: planned.cost });
  expect((await env.admin.orders(env.account.organisation)).length).toBe(before);
});

test('a budget below the plan: stops at the budget with the coverage it reached, all of it bought', async () => {
  const budget = (Number(planned.cost) / 2).toFixed(2);
  const result = await coverageBatch({ budget });
  const plan = result.coveragePlan as CoveragePlanRecord;
  const picks = await env.coveragePicks(plan);
  expect(result.end).toBe('COMPLETED');
  expect(plan.stoppedBy).toBe('budget');
  expect(picks.length).toBeGreaterThanOrEqual(1);
  expect(compare(plan.cost, budget)).toBeLessThanOrEqual(0);
  expect(result.spent).toBe(plan.cost);
  expect(plan.coveragePct).toBeLessThan(98);
  expect(result.counts.PAID).toBe(picks.length);
  expect(result.coverage?.boughtPct).toBeCloseTo(plan.coveragePct, 6);
  expect(coveredPct(aoi, picks)).toBeCloseTo(plan.coveragePct, 0);
  await expectBoughtAsPlanned(result);
});

test('room in the budget: the target is reached at the reported cost; what was bought before is free coverage', async () => {
  const owned = new Set((await env.admin.orders(env.account.organisation)).flatMap((o) => o.items.map(keyOf)));
  const handle = await runBatch(env, { coverage: { aoi: aoi.geometry }, budget: '100000', concurrency: 4 });
  const result = await handle.result();
  const plan = result.coveragePlan as CoveragePlanRecord;
  const picks = await env.coveragePicks(plan);
  expect(result.end).toBe('COMPLETED');
  expect(plan.stoppedBy).toBe('target');
  const ownedPicks = picks.filter((p) => p.owned);
  expect(ownedPicks.length).toBeGreaterThanOrEqual(1);
  for (const pick of ownedPicks) expect(owned.has(keyOf(pick))).toBe(true);
  expect(result.counts).toMatchObject({
    PAID: picks.length - ownedPicks.length,
    ALREADY_OWNED: ownedPicks.length,
  });
  // Reported cost = what was paid = the sum of the sub-area prices charged.
  expect(result.spent).toBe(plan.cost);
  expect(plan.cost).toBe(add('0', ...picks.map((p) => p.price)));
  expect(result.coverage?.boughtPct).toBeCloseTo(plan.coveragePct, 6);
  expect(coveredPct(aoi, picks)).toBeGreaterThanOrEqual(98);
  await expectBoughtAsPlanned(result);
  // Nothing bought twice: every scene of the area is in at most one order.
  const orders = await env.admin.orders(env.account.organisation);
  const lines = orders.flatMap((o) => o.items.map(keyOf));
  expect(new Set(lines).size).toBe(lines.length);
  const status = await handle.query(progressQuery);
  expect(status.coverage).toMatchObject({ dryRun: false, plannedCost: plan.cost, stoppedBy: 'target' });
});

test('the order list not served (the documented API): imagery bought before counts as the parts bought, not whole scenes', async () => {
  await env.admin.setSettings({ apiVariant: 'documented' });
  try {
    const result = await coverageBatch({ budget: '100000', dryRun: true });
    const plan = result.coveragePlan as CoveragePlanRecord;
    expect(plan.ownershipUnknown).toBeDefined();
    const paid = (await env.admin.orders(env.account.organisation)).filter((o) => o.status === 'PAID');
    const lines = new Map(paid.flatMap((o) => o.items.map((line) => [keyOf(line), line] as const)));
    // Owned by their claims only: each covers the part its order bought, read from the purchase that bought it.
    const clipped = (await env.coveragePicks(plan)).filter((p) => p.owned && lines.get(keyOf(p))?.geometry);
    expect(clipped.length).toBeGreaterThanOrEqual(1);
    for (const pick of clipped) expect(pick.footprint).toEqual(lines.get(keyOf(pick))?.geometry);
  } finally {
    await env.admin.setSettings({ apiVariant: 'full' });
  }
});
