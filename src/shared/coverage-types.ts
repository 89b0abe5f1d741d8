/**
 * Data of coverage batches (`dcp batch --aoi`) that crosses the workflow boundary: what to cover, the plan the
 * planning activity returns and the batch keeps, and the coverage the batch reports. Pure types and constants.
 * The plan leaves out the uncovered remainder (it may be large); the report works it out again from the picks.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { StoredList } from './stored-pages';

export const PREFERENCES = ['newest', 'least-cloud', 'cheapest'] as const;
export type Preference = (typeof PREFERENCES)[number];

/** The most catalog items a coverage plan chooses from. */
export const MAX_COVERAGE_CANDIDATES = 10_000;

/** What a coverage batch covers, where it looks, and how it chooses. */
export interface CoverageRequest {
  /** The area of interest, as parsed and united (see src/coverage/aoi.ts); or, when large, storedAoi. */
  aoi?: MultiPolygon;
  /** A large area of interest as GeoJSON text in stored pages (`dcp` stores one over INLINE_BYTES). */
  storedAoi?: StoredList;
  collections?: string[];
  datetime?: string;
  /** Only items with `eo:cloud_cover` below this percentage. */
  cloudLt?: number;
  /** Only items of this processing level. */
  level?: string;
  /** Default 98. */
  minCoveragePct?: number;
  /** Default 'cheapest'. */
  prefer?: Preference;
  /** Buy only the needed part of each scene (default true). */
  clip?: boolean;
  /** The line items' `project_id` (default: the batch id). */
  projectId?: string;
  /** Most catalog items to choose from (default MAX_COVERAGE_CANDIDATES). */
  maxCandidates?: number;
  /** Plan, record the plan, and buy nothing. */
  dryRun?: boolean;
}

export interface PlanCoverageInput {
  /** The batch: it owns the pages the plan's picks are stored in. */
  batchId: string;
  /** The batch's workflow task queue. */
  taskQueue: string;
  contractId: number;
  /** The batch's workflow task queue, whose claim registries say what is owned or being bought. */
  claimScope: string;
  request: CoverageRequest;
  /** The most the picks may cost together. */
  budget: string;
  /** The contract's currency and the batch's schedule: the spend limits over the batch may leave less than its budget. */
  currency?: string;
  scheduleId?: string;
}

/** One chosen scene (src/coverage's planner chooses them). */
export interface CoveragePick {
  collection: string;
  item: string;
  datetime: string;
  cloudCover: number | null;
  owned: boolean;
  footprint: Polygon | MultiPolygon;
  /** The line item's sub-area, or null when the whole scene is bought (or owned). */
  geometry: Polygon | null;
  /** Area paid for (0 for owned imagery). */
  boughtKm2: number;
  /** AOI area this pick covers that earlier picks did not. */
  newKm2: number;
  price: string;
}

/** What the simple choices would cost, for comparison with a plan. */
export interface CoverageBaselines {
  /** Scenes (owned ones included) whose footprint overlaps the area. */
  intersecting: number;
  /** Every intersecting scene bought whole. */
  naiveCost: string;
  /** Every intersecting scene bought clipped to the area. */
  clippedCost: string;
}

/** Why the selection ended: target met, the budget left nothing affordable, or no candidate adds coverage. */
export type CoverageStop = 'target' | 'budget' | 'candidates';

/** The figures of a coverage plan. */
export interface CoverageFigures {
  aoiKm2: number;
  coveredKm2: number;
  coveragePct: number;
  targetPct: number;
  boughtKm2: number;
  cost: string;
  stoppedBy: CoverageStop;
  /** Null when not asked for. */
  baselines: CoverageBaselines | null;
}

/** A pick as the batch keeps it: with what buying it needs. */
export interface CoveragePickRecord extends CoveragePick {
  /** The catalog's processing level (the line item's `level`); null when the catalog does not say. */
  level: string | null;
  /** The PAID order that holds an owned pick (set for every owned pick). */
  ownedIn: string | null;
}

/**
 * A coverage plan as the batch keeps it: no uncovered remainder; clipped picks priced by the API's sub-area price
 * (the price under the contract they will be charged).
 */
export interface CoveragePlanRecord extends CoverageFigures {
  /** The picks (CoveragePickRecord), in the order chosen, in stored pages: a plan over many scenes is large. */
  picks: StoredList;
  /** Catalog items the plan chose from. */
  candidates: number;
  /** Whether the search had more items than the plan could choose from. */
  candidatesCapped: boolean;
  /** Items left out because another purchase is buying them. */
  inFlight: number;
  /** Set when orders paid outside this product cannot be seen. */
  ownershipUnknown?: string;
  /** Set when a spend limit left less than the batch's budget: the limit, and what the plan could spend. */
  limitedBy?: { limit: string; left: string };
}

/** Coverage so far, for `dcp batch status`: what the plan expects and what is bought (or owned) already. */
export interface CoverageProgress {
  targetPct: number;
  plannedPct: number;
  plannedCost: string;
  /** The AOI share covered by picks bought (or owned) so far, as planned (a lower bound when a pick failed). */
  boughtPct: number;
  naiveCost: string | null;
  stoppedBy: CoverageStop;
  picks: number;
  dryRun: boolean;
}

/** The share of an area a coverage batch stops at by default. */
export const DEFAULT_MIN_COVERAGE_PCT = 98;
