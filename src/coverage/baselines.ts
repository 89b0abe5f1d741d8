/**
 * What the simple choices would cost, for comparison with a plan: every scene that intersects the area
 * bought whole, and every one bought clipped to the area. Needs the exact part of each footprint in the
 * area, one polygon operation per scene that crosses the area's edge, so it is kept apart from the
 * selection, which looks closely at few scenes. Owned scenes cost nothing. Pure.
 */
import type { CoverageBaselines } from '../shared/coverage-types';
import { add } from '../shared/money';
import type { Aoi } from './aoi';
import { MIN_KM2, prepareScenes, type CoverageCandidate, type Scene } from './candidates';
import { priceOfArea } from './price';

export type { CoverageBaselines } from '../shared/coverage-types';

export function baselinesOf(scenes: Scene[]): CoverageBaselines {
  const intersecting = scenes.filter((scene) => {
    scene.aoiPart();
    return scene.aoiPartKm2() > MIN_KM2;
  });
  const bought = intersecting.filter((scene) => !scene.candidate.owned);
  const clipped = (scene: Scene) =>
    scene.rate === null ? scene.wholePrice : priceOfArea(scene.rate, scene.aoiPartKm2());
  return {
    intersecting: intersecting.length,
    naiveCost: add('0', ...bought.map((scene) => scene.wholePrice)),
    clippedCost: add('0', ...bought.map(clipped)),
  };
}

/** The baselines of candidates for an area, on their own (planCoverage works them out along with a plan). */
export function coverageBaselines(aoi: Aoi, candidates: CoverageCandidate[]): CoverageBaselines {
  return baselinesOf(prepareScenes(aoi.geometry.coordinates, aoi.box, candidates, 'cheapest'));
}
