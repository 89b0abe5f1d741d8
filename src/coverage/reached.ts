/**
 * A plan as far as it was carried out: only the picks bought (or owned), with the coverage they reach, what
 * they cost and the part of the area they leave uncovered, for the report's map and GeoJSON. The batch keeps
 * no remainder (it may be large), so it is worked out here again from the picks. Pure.
 */
import { add } from '../shared/money';
import type { Aoi } from './aoi';
import { areaKm2, multiPolygon, toParts } from './geometry';
import type { CoveragePick, CoveragePlan } from './plan';
import { Remainder } from './remainder';

export function reachedPlan(aoi: Aoi, plan: Omit<CoveragePlan, 'uncovered'>, picks: CoveragePick[]): CoveragePlan {
  const remainder = new Remainder(aoi.geometry.coordinates, aoi.box);
  for (const pick of picks) remainder.takeAway(toParts(pick.geometry ?? pick.footprint));
  const uncovered = remainder.parts();
  const coveredKm2 = Math.max(0, aoi.areaKm2 - areaKm2(uncovered));
  return {
    ...plan,
    picks,
    coveredKm2,
    coveragePct: (100 * coveredKm2) / aoi.areaKm2,
    boughtKm2: picks.reduce((sum, pick) => sum + pick.boughtKm2, 0),
    cost: add('0', ...picks.map((pick) => pick.price)),
    uncovered: multiPolygon(uncovered),
  };
}
