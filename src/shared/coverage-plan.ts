/**
 * What a coverage batch does with its plan, pure and deterministic so the workflow can run it: the picks as
 * examined items for the batch's fitting (owned ones become ALREADY_OWNED rows, the rest line items carrying
 * their sub-area and project), and the coverage reached so far.
 */
import type { ExaminedItem, ItemOutcome, ItemReport } from './batch-types';
import type { CoveragePickRecord, CoveragePlanRecord, CoverageProgress } from './coverage-types';
import { itemKey } from './item-key';

export function examinedPicks(picks: CoveragePickRecord[], projectId: string): ExaminedItem[] {
  return picks.map((pick) => ({
    collection: pick.collection,
    item: pick.item,
    level: pick.level,
    price: pick.price,
    problem: pick.level === null ? `the catalog gives no processing level for ${itemKey(pick)}` : null,
    ownedIn: pick.owned ? pick.ownedIn : null,
    inFlightIn: null,
    coverKm2: pick.newKm2,
    ...(pick.geometry
      ? { geometry: { type: 'Polygon' as const, coordinates: pick.geometry.coordinates }, projectId }
      : {}),
  }));
}

/** Rows that add their pick's coverage: bought, or owned already. */
export const COVERING: ReadonlySet<ItemOutcome> = new Set<ItemOutcome>(['PAID', 'ALREADY_OWNED']);

/** The picks that cover their part so far: bought, or owned already. */
export function coveringPicks(picks: CoveragePickRecord[], rows: ItemReport[]): CoveragePickRecord[] {
  const covering = new Set(rows.filter((row) => COVERING.has(row.outcome)).map(itemKey));
  return picks.filter((pick) => covering.has(itemKey(pick)));
}

/** Coverage so far: `coveredKm2` is what the picks bought or owned so far newly cover (the batch keeps the sum). */
export function coverageProgress(plan: CoveragePlanRecord, coveredKm2: number, dryRun: boolean): CoverageProgress {
  return {
    targetPct: plan.targetPct,
    plannedPct: plan.coveragePct,
    plannedCost: plan.cost,
    boughtPct: plan.aoiKm2 > 0 ? (100 * coveredKm2) / plan.aoiKm2 : 0,
    naiveCost: plan.baselines?.naiveCost ?? null,
    stoppedBy: plan.stoppedBy,
    picks: plan.picks.count,
    dryRun,
  };
}
