/**
 * The scenes a coverage plan chooses from: candidates checked, put in key order (so that the input order
 * never matters) and classified against the area of interest with cheap box tests. The exact part of a
 * footprint inside the area is worked out only when something asks for it: most candidates of a large
 * search are never looked at closely. Pure.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { itemKey } from '../shared/item-key';
import { isDecimal } from '../shared/money';
import {
  areaKm2,
  boxesOverlap,
  boxOf,
  boxParts,
  clipToBox,
  coversBox,
  intersection,
  perimeterKm,
  toParts,
  type Box,
  type Parts,
} from './geometry';
import { priceOfArea, type ScenePrice } from './price';
import type { Preference } from '../shared/coverage-types';

export { PREFERENCES, type Preference } from '../shared/coverage-types';

export interface CoverageCandidate {
  collection: string;
  item: string;
  footprint: Polygon | MultiPolygon;
  /** Acquisition time, ISO 8601. */
  datetime: string;
  /** Percent, or null when the catalog does not say. */
  cloudCover: number | null;
  price: ScenePrice;
  /** Already bought by the organisation (a PAID order): free coverage. */
  owned: boolean;
}

/** New coverage smaller than this (one square metre) counts as none. */
export const MIN_KM2 = 1e-6;

/** What planning needs to know of a candidate besides its part in the AOI. */
export interface SceneFacts {
  candidate: CoverageCandidate;
  key: string;
  footprint: Parts;
  footprintKm2: number;
  /** Length of the footprint's outline. */
  perimeterKm: number;
  /** The footprint's box. */
  box: Box;
  wholePrice: string;
  /** Price per km² when the scene can be bought in part. */
  rate: string | null;
  /** 0 for what the preference likes best, up to 1 for what it likes least. */
  penalty: number;
}

type Known = { part: Parts } | { boundKm2: number };

export class Scene implements SceneFacts {
  readonly candidate: CoverageCandidate;
  readonly key: string;
  readonly footprint: Parts;
  readonly footprintKm2: number;
  readonly perimeterKm: number;
  readonly box: Box;
  readonly wholePrice: string;
  readonly rate: string | null;
  readonly penalty: number;
  private part: Parts | null;
  private partKm2: number;

  constructor(
    facts: SceneFacts,
    private readonly aoi: Parts,
    known: Known,
  ) {
    ({
      candidate: this.candidate,
      key: this.key,
      footprint: this.footprint,
      footprintKm2: this.footprintKm2,
      perimeterKm: this.perimeterKm,
      box: this.box,
      wholePrice: this.wholePrice,
      rate: this.rate,
      penalty: this.penalty,
    } = facts);
    this.part = 'part' in known ? known.part : null;
    this.partKm2 = 'part' in known ? areaKm2(known.part) : known.boundKm2;
  }

  /** footprint ∩ AOI. */
  aoiPart(): Parts {
    if (this.part === null) {
      this.part = intersection(this.footprint, clipToBox(this.aoi, this.box));
      this.partKm2 = areaKm2(this.part);
    }
    return this.part;
  }

  /** The area of aoiPart(); until that is worked out, an upper bound of it. */
  aoiPartKm2(): number {
    return this.partKm2;
  }

  isExact(): boolean {
    return this.part !== null;
  }
}

/** The candidates that may overlap the AOI, in key order. */
export function prepareScenes(aoi: Parts, aoiBox: Box, candidates: CoverageCandidate[], prefer: Preference): Scene[] {
  const keys = new Set<string>();
  const sorted = [...candidates].sort((a, b) => compareText(itemKey(a), itemKey(b)));
  const kept: { candidate: CoverageCandidate; key: string; footprint: Parts; box: Box; known: Known }[] = [];
  for (const candidate of sorted) {
    const key = itemKey(candidate);
    if (keys.has(key)) throw new RangeError(`candidate ${key} is given twice`);
    keys.add(key);
    const footprint = toParts(candidate.footprint);
    const box = boxOf(footprint);
    const known = boxTest(footprint, box, aoi, aoiBox);
    if (known !== null) kept.push({ candidate, key, footprint, box, known });
  }
  const penalties = penaltiesOf(
    kept.map((k) => k.candidate),
    prefer,
  );
  return kept.map(({ candidate, key, footprint, box, known }, i) => {
    const footprintKm2 = areaKm2(footprint);
    const { rate, wholePrice } = pricesOf(candidate, key, footprintKm2);
    const facts = {
      candidate,
      key,
      footprint,
      footprintKm2,
      perimeterKm: perimeterKm(footprint),
      box,
      wholePrice,
      rate,
    };
    return new Scene({ ...facts, penalty: penalties[i] }, aoi, known);
  });
}

/** A rate prices parts (and, without a scene price, the whole scene by its area); a scene price only the whole. */
function pricesOf(
  candidate: CoverageCandidate,
  key: string,
  footprintKm2: number,
): { rate: string | null; wholePrice: string } {
  const price = candidate.price as { scene?: unknown; perKm2?: unknown };
  const valid = (amount: unknown): amount is string => typeof amount === 'string' && isDecimal(amount);
  const rate = valid(price.perKm2) ? price.perKm2 : null;
  if (valid(price.scene)) return { rate, wholePrice: price.scene };
  if (rate !== null) return { rate, wholePrice: priceOfArea(rate, footprintKm2) };
  throw new RangeError(`candidate ${key} has no decimal price (scene or perKm2)`);
}

/**
 * What box tests tell about footprint ∩ AOI: nothing there (null), all of the footprint (the AOI covers
 * its box), all of the AOI (the footprint covers the AOI's box), or an upper bound of its area.
 */
function boxTest(footprint: Parts, box: Box, aoi: Parts, aoiBox: Box): Known | null {
  if (!boxesOverlap(box, aoiBox)) return null;
  const localAoi = clipToBox(aoi, box);
  const localKm2 = areaKm2(localAoi);
  if (localKm2 <= MIN_KM2) return null;
  const boxKm2 = areaKm2(boxParts(box));
  if (Math.abs(localKm2 - boxKm2) <= boxKm2 * 1e-9) return { part: footprint };
  if (coversBox(footprint, aoiBox)) return { part: aoi };
  const boundKm2 = areaBound(footprint, box, localAoi);
  return boundKm2 <= MIN_KM2 ? null : { boundKm2 };
}

/** Cells per side of the grid over a footprint's box that areaBound sums over. */
const BOUND_GRID = 4;

/**
 * An upper bound of area(footprint ∩ AOI): over a grid of cells on the footprint's box, the sum of the
 * smaller of the two shapes' areas in each cell, each found by box clipping (linear and cheap).
 */
function areaBound(footprint: Parts, [west, south, east, north]: Box, localAoi: Parts): number {
  const [width, height] = [(east - west) / BOUND_GRID, (north - south) / BOUND_GRID];
  let bound = 0;
  for (let i = 0; i < BOUND_GRID; i++) {
    for (let j = 0; j < BOUND_GRID; j++) {
      const cell: Box = [west + i * width, south + j * height, west + (i + 1) * width, south + (j + 1) * height];
      const inFootprint = areaKm2(clipToBox(footprint, cell));
      if (inFootprint > 0) bound += Math.min(inFootprint, areaKm2(clipToBox(localAoi, cell)));
    }
  }
  return bound;
}

function penaltiesOf(candidates: CoverageCandidate[], prefer: Preference): number[] {
  if (prefer === 'least-cloud') {
    return candidates.map((c) => (c.cloudCover === null ? 1 : Math.min(1, Math.max(0, c.cloudCover / 100))));
  }
  if (prefer === 'newest') {
    const times = candidates.map((c) => Date.parse(c.datetime));
    const known = times.filter((t) => Number.isFinite(t));
    const [oldest, newest] = [Math.min(...known), Math.max(...known)];
    return times.map((t) => (!Number.isFinite(t) ? 1 : newest === oldest ? 0 : (newest - t) / (newest - oldest)));
  }
  return candidates.map(() => 0);
}


export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
