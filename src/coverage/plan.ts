/**
 * Which scenes to buy to cover an area of interest: a weighted greedy set cover over real polygons.
 * Each step takes the candidate with the lowest expected price per newly covered km² (imagery already
 * owned is free, so it comes first), weighted by the preference, until the coverage target is met, the
 * candidates add nothing more, or the budget leaves nothing affordable. With clipping, a line item buys
 * only the part of its footprint the selection needs (see clip.ts) and is priced by its area.
 *
 * Scores only get worse as coverage grows, so the search is lazy: the queue holds each candidate's last
 * score, a lower bound of its current one, and a candidate is worked out again only when it comes first
 * and a pick since its last evaluation overlaps it (or, for a footprint crossing the area's edge, when it
 * first comes first). A candidate within NEAR_TIE of the best bound is taken without looking further:
 * scenes of one collection price alike, and telling apart thousands of near ties would cost many polygon
 * operations for a saving under that margin. Pure and deterministic: the input order does not matter.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { add, compare, isDecimal } from '../shared/money';
import type { Aoi } from './aoi';
import { DEFAULT_MIN_COVERAGE_PCT, type CoverageFigures, type CoveragePick } from '../shared/coverage-types';
import { baselinesOf } from './baselines';
import {
  compareText,
  MIN_KM2,
  prepareScenes,
  PREFERENCES,
  type CoverageCandidate,
  type Preference,
  type Scene,
} from './candidates';
import { lineItemArea, regionToBuy } from './clip';
import { Remainder } from './remainder';
import {
  areaKm2,
  boxesOverlap,
  boxOf,
  clipToBox,
  coversBox,
  difference,
  intersectionWithin,
  type Box,
  type Parts,
} from './geometry';
import { MinHeap } from './min-heap';
import { priceOfArea } from './price';

export type { CoverageCandidate, Preference } from './candidates';
export { PREFERENCES } from './candidates';
export type { CoveragePick, CoverageStop } from '../shared/coverage-types';

export interface CoverageOptions {
  /** Stop once this share of the AOI is covered; default 98. */
  minCoveragePct?: number;
  /** Default 'cheapest'. */
  prefer?: Preference;
  /** Buy only the needed part of each footprint (default true); false buys whole scenes. */
  clip?: boolean;
  /** Decimal amount the picks together may not exceed. */
  budget?: string;
  /** Margin around each clipped part, in metres; default 50. */
  marginMeters?: number;
  /** Most vertices of a clipped part; default 100. */
  maxClipVertices?: number;
  /** Work out what the simple choices would cost (default true; see baselines.ts). */
  baselines?: boolean;
}

export interface CoveragePlan extends CoverageFigures {
  /** In the order they were chosen. */
  picks: CoveragePick[];
  /** The part of the AOI the picks leave uncovered. */
  uncovered: MultiPolygon;
}

export const DEFAULT_MARGIN_METERS = 50;
export const DEFAULT_MAX_CLIP_VERTICES = 100;
export const MIN_CLIP_VERTICES = 12;
/** How much worse a price per km² the preference accepts for its best candidate over its worst one. */
export const PREFERENCE_WEIGHT = 0.25;
/** Scores this close (5 %) to the best bound count as the best. */
export const NEAR_TIE = 0.05;
/** How much of a piece a scene leaves may stay bare for the others to count as covering it. */
const PIECE_SLACK = 0.01;

/** A scene's standing after the first `at` picks. */
interface Ranking {
  scene: Scene;
  /** Null until the scene's part in the AOI is worked out; newKm2 and score are then bounds. */
  needed: Parts | null;
  box: Box;
  newKm2: number;
  score: number;
  at: number;
  /** The purchase once worked out exactly (a clipped part is priced only when its scene comes first). */
  purchase?: Purchase;
}

export function planCoverage(aoi: Aoi, candidates: CoverageCandidate[], options: CoverageOptions = {}): CoveragePlan {
  const settings = settingsOf(options);
  const exact = aoi.geometry.coordinates;
  const scenes = prepareScenes(exact, aoi.box, candidates, settings.prefer);
  // A hair below the target, so that rounding in the area sums cannot ask for one more pick.
  const target = (aoi.areaKm2 * settings.minCoveragePct) / 100 - aoi.areaKm2 * 1e-9;
  const remainder = new Remainder(exact, aoi.box);
  /** Scenes out of the queue: picked, or dropped (over the budget, nothing to add). */
  const gone = new Set<string>();
  let cost = '0';
  /**
   * Whether the scenes still in the queue, other than this one, that the budget left could take, cover a piece of
   * the AOI (all but PIECE_SLACK of it): only then may a scene buy another piece alone and leave this one.
   */
  const elsewhere = (scene: Scene) => (piece: Parts) => {
    const box = boxOf(piece);
    const pieceKm2 = areaKm2(piece);
    let bare = piece;
    for (const other of scenes) {
      if (other === scene || gone.has(other.key) || !boxesOverlap(other.box, box)) continue;
      if (settings.budget !== undefined && compare(add(cost, piecePrice(other, pieceKm2)), settings.budget) > 0) continue;
      // One scene at a time, each clipped to the piece's box: most pieces are covered by the first that reaches them.
      if (coversBox(other.footprint, box)) return true;
      bare = difference(bare, clipToBox(other.footprint, box));
      if (areaKm2(bare) <= PIECE_SLACK * pieceKm2) return true;
    }
    return false;
  };

  /** A scene's standing given the part of the AOI it would newly cover. */
  const ranked = (scene: Scene, needed: Parts): Ranking => {
    const region = buysPart(scene, settings) ? regionToBuy(needed, settings.marginMeters, elsewhere(scene)) : null;
    const newKm2 = region?.newKm2 ?? areaKm2(needed);
    const price =
      region === null ? wholeOrNothing(scene) : Number(scene.rate) * Math.min(scene.footprintKm2, region.boughtKm2);
    return { scene, needed, box: boxOf(needed), newKm2, score: scoreOf(scene, price, newKm2), at: remainder.count };
  };
  // A worked-out purchase may reach beyond the needed part's box (its margin): check the footprint's.
  const current = (r: Ranking) =>
    r.needed !== null && !remainder.changedSince(r.at, r.purchase === undefined ? r.box : r.scene.box);

  const queue = new MinHeap<Ranking>(before);
  const nearBest = (score: number) => score <= (queue.peek()?.score ?? Infinity) * (1 + NEAR_TIE);
  for (const scene of scenes) queue.push(scene.isExact() ? ranked(scene, scene.aoiPart()) : bounded(scene, settings));
  const picks: CoveragePick[] = [];
  let coveredKm2 = 0;
  let overBudget = false;
  const requeue = (ranking: Ranking) => {
    queue.push(ranking);
    gone.delete(ranking.scene.key);
  };
  while (coveredKm2 < target && queue.size > 0) {
    let best = queue.pop() as Ranking;
    gone.add(best.scene.key);
    if (!current(best)) {
      best = ranked(best.scene, remainder.within(best.scene.footprint, best.scene.box));
      if (best.newKm2 <= MIN_KM2) continue;
      if (!nearBest(best.score)) {
        requeue(best);
        continue;
      }
    }
    let purchase = best.purchase;
    if (purchase === undefined) {
      // A scene the budget cannot take even at its least possible price is left without working out its part.
      if (settings.budget !== undefined && compare(add(cost, leastPrice(best, settings)), settings.budget) > 0) {
        overBudget = true;
        continue;
      }
      purchase = purchaseOf(best.scene, best.needed as Parts, settings, elsewhere(best.scene));
      if (purchase.newKm2 <= MIN_KM2) continue;
      // The ranking estimated a clipped part's margin; if the real price puts another scene ahead, wait.
      const score = scoreOf(best.scene, Number(purchase.price), purchase.newKm2);
      if (!nearBest(score)) {
        requeue({ ...best, score, purchase });
        continue;
      }
    }
    if (settings.budget !== undefined && compare(add(cost, purchase.price), settings.budget) > 0) {
      overBudget = true;
      continue;
    }
    remainder.takeAway(purchase.covers);
    coveredKm2 += purchase.newKm2;
    cost = add(cost, purchase.price);
    picks.push(pickOf(best.scene, purchase));
  }

  return {
    picks,
    aoiKm2: aoi.areaKm2,
    coveredKm2,
    coveragePct: (100 * coveredKm2) / aoi.areaKm2,
    targetPct: settings.minCoveragePct,
    boughtKm2: picks.reduce((sum, p) => sum + p.boughtKm2, 0),
    cost,
    stoppedBy: coveredKm2 >= target ? 'target' : overBudget ? 'budget' : 'candidates',
    uncovered: { type: 'MultiPolygon', coordinates: remainder.parts() },
    baselines: settings.baselines ? baselinesOf(scenes) : null,
  };
}

interface Settings {
  minCoveragePct: number;
  prefer: Preference;
  clip: boolean;
  budget?: string;
  marginMeters: number;
  maxClipVertices: number;
  baselines: boolean;
}

function settingsOf(options: CoverageOptions): Settings {
  const settings: Settings = {
    minCoveragePct: options.minCoveragePct ?? DEFAULT_MIN_COVERAGE_PCT,
    prefer: options.prefer ?? 'cheapest',
    clip: options.clip ?? true,
    budget: options.budget,
    marginMeters: options.marginMeters ?? DEFAULT_MARGIN_METERS,
    maxClipVertices: options.maxClipVertices ?? DEFAULT_MAX_CLIP_VERTICES,
    baselines: options.baselines ?? true,
  };
  const { minCoveragePct, prefer, budget, marginMeters, maxClipVertices } = settings;
  if (!(minCoveragePct > 0 && minCoveragePct <= 100)) {
    throw new RangeError(`minimum coverage ${minCoveragePct} % is not above 0 and at most 100`);
  }
  if (!PREFERENCES.includes(prefer))
    throw new RangeError(`preference "${prefer}" is not one of ${PREFERENCES.join(', ')}`);
  if (budget !== undefined && !(isDecimal(budget) && compare(budget, '0') >= 0)) {
    throw new RangeError(`budget "${budget}" is not a decimal amount of at least 0`);
  }
  if (!(marginMeters >= 0 && marginMeters <= 10_000))
    throw new RangeError(`margin ${marginMeters} m is not from 0 to 10000`);
  if (!(Number.isInteger(maxClipVertices) && maxClipVertices >= MIN_CLIP_VERTICES)) {
    throw new RangeError(`maxClipVertices ${maxClipVertices} is not a whole number of at least ${MIN_CLIP_VERTICES}`);
  }
  return settings;
}

/**
 * A scene whose part in the AOI is not worked out yet, ranked by the upper bound of that part's area and,
 * when clipped, a margin estimated from the footprint's outline scaled down to that area.
 */
function bounded(scene: Scene, settings: Settings): Ranking {
  const newKm2 = scene.aoiPartKm2();
  const outlineKm = scene.perimeterKm * Math.sqrt(newKm2 / scene.footprintKm2);
  const price = buysPart(scene, settings)
    ? Number(scene.rate) * Math.min(scene.footprintKm2, newKm2 + (outlineKm * settings.marginMeters) / 1000)
    : wholeOrNothing(scene);
  return { scene, needed: null, box: scene.box, newKm2, score: scoreOf(scene, price, newKm2), at: 0 };
}

/** What buying a piece of `pieceKm2` from a scene would cost at the least: free when owned, else its part or whole. */
function piecePrice(scene: Scene, pieceKm2: number): string {
  if (scene.candidate.owned) return '0';
  if (scene.rate === null) return scene.wholePrice;
  const part = priceOfArea(scene.rate, pieceKm2 * LEAST_AREA_SHARE);
  return compare(part, scene.wholePrice) < 0 ? part : scene.wholePrice;
}

function buysPart(scene: Scene, settings: Settings): boolean {
  return settings.clip && scene.rate !== null && !scene.candidate.owned;
}

function wholeOrNothing(scene: Scene): number {
  return scene.candidate.owned ? 0 : Number(scene.wholePrice);
}

/** Expected price per newly covered km², raised by how little the preference likes the scene. */
function scoreOf(scene: Scene, price: number, newKm2: number): number {
  return (price / newKm2) * (1 + PREFERENCE_WEIGHT * scene.penalty);
}

/** Below what a ranked scene's purchase can cost (FOOTPRINT_INSET_METERS may trim the clipped area a hair). */
const LEAST_AREA_SHARE = 0.99;

/**
 * A lower bound of the price purchaseOf finds for a scene whose needed part is worked out: a clipped part buys at
 * least the region it was ranked by, and a whole scene costs its price.
 */
function leastPrice(ranking: Ranking, settings: Settings): string {
  const { scene } = ranking;
  if (scene.candidate.owned) return '0';
  if (!buysPart(scene, settings)) return scene.wholePrice;
  const part = priceOfArea(scene.rate as string, ranking.newKm2 * LEAST_AREA_SHARE);
  return compare(part, scene.wholePrice) < 0 ? part : scene.wholePrice;
}

interface Purchase {
  geometry: Polygon | null;
  /** What counts as covered: the footprint, or the clipped part before its inset. */
  covers: Parts;
  boughtKm2: number;
  price: string;
  /** AOI area the purchase covers that no earlier pick does. */
  newKm2: number;
}

/** What buying the scene brings, given the part of the AOI it would newly cover. */
function purchaseOf(scene: Scene, needed: Parts, settings: Settings, elsewhere: (piece: Parts) => boolean): Purchase {
  const neededKm2 = areaKm2(needed);
  const covers = scene.footprint;
  if (scene.candidate.owned) return { geometry: null, covers, boughtKm2: 0, price: '0', newKm2: neededKm2 };
  const whole = { geometry: null, covers, boughtKm2: scene.footprintKm2, price: scene.wholePrice, newKm2: neededKm2 };
  if (!buysPart(scene, settings)) return whole;
  const region = regionToBuy(needed, settings.marginMeters, elsewhere);
  const area = lineItemArea(region.parts, scene.footprint, {
    marginMeters: settings.marginMeters,
    maxVertices: settings.maxClipVertices,
  });
  if (area === null) return whole;
  const boughtKm2 = areaKm2([area.geometry.coordinates]);
  const price = priceOfArea(scene.rate as string, boughtKm2);
  if (compare(price, scene.wholePrice) >= 0) return whole;
  // The part bought may differ from the region by its margin and simplification: measure what it adds.
  const newKm2 = areaKm2(intersectionWithin(area.covers, needed));
  return { geometry: area.geometry, covers: area.covers, boughtKm2, price, newKm2 };
}

function pickOf(scene: Scene, purchase: Purchase): CoveragePick {
  const { collection, item, datetime, cloudCover, owned, footprint } = scene.candidate;
  const { geometry, boughtKm2, price, newKm2 } = purchase;
  return { collection, item, datetime, cloudCover, owned, footprint, geometry, boughtKm2, newKm2, price };
}

/** Lower score first; then what the preference likes; then more new area; then key order. */
function before(a: Ranking, b: Ranking): number {
  return (
    a.score - b.score ||
    a.scene.penalty - b.scene.penalty ||
    b.newKm2 - a.newKm2 ||
    compareText(a.scene.key, b.scene.key)
  );
}

