/**
 * Data of coverage batches (`dcp batch --aoi`) that crosses the workflow boundary: what to cover, the plan the
 * planning activity returns and the batch keeps, and the coverage the batch reports. Pure types and constants.
 * The plan leaves out the uncovered remainder (it may be large); the report works it out again from the picks.
 */
import type { MultiPolygon, Polygon } from 'geojson';

export type Preference = 'newest' | 'least-cloud' | 'cheapest';
export const PREFERENCES: readonly Preference[] = ['newest', 'least-cloud', 'cheapest'];

/** The most catalog items a coverage plan chooses from. */
export const MAX_COVERAGE_CANDIDATES = 10_000;

/** What a coverage batch covers, where it looks, and how it chooses. */
export interface CoverageRequest {
  /** The area of interest, as parsed and united (see src/coverage/aoi.ts). */
  aoi: MultiPolygon;
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
  contractId: number;
  /** The batch's workflow task queue, whose claim registries say what is owned or being bought. */
  claimScope: string;
  request: CoverageRequest;
  /** The most the picks may cost together. */
  budget: string;
}

/** One chosen scene, in the order chosen (the fields of src/coverage's CoveragePick, plus what buying needs). */
export interface CoveragePickRecord {
  collection: string;
  item: string;
  /** The catalog's processing level (the line item's `level`); null when the catalog does not say. */
  level: string | null;
  datetime: string;
  cloudCover: number | null;
  /** Imagery the organisation owns already: free coverage, nothing to buy. */
  owned: boolean;
  /** The PAID order that holds an owned pick (set for every owned pick). */
  ownedIn: string | null;
  footprint: Polygon | MultiPolygon;
  /** The line item's sub-area, or null for a whole scene (or an owned one). */
  geometry: Polygon | null;
  boughtKm2: number;
  newKm2: number;
  /** The price under the contract: of the sub-area when clipped (the API's sub-area price), else of the scene. */
  price: string;
}

export interface CoverageBaselinesRecord {
  intersecting: number;
  naiveCost: string;
  clippedCost: string;
}

/** A coverage plan as the batch keeps it: no uncovered remainder. */
export interface CoveragePlanRecord {
  picks: CoveragePickRecord[];
  aoiKm2: number;
  coveredKm2: number;
  coveragePct: number;
  targetPct: number;
  boughtKm2: number;
  cost: string;
  stoppedBy: 'target' | 'budget' | 'candidates';
  baselines: CoverageBaselinesRecord | null;
  /** Catalog items the plan chose from. */
  candidates: number;
  /** Whether the search had more items than the plan could choose from. */
  candidatesCapped: boolean;
  /** Items left out because another purchase is buying them. */
  inFlight: number;
  /** Set when orders paid outside this product cannot be seen. */
  ownershipUnknown?: string;
}

/** Coverage so far, for `dcp batch status`: what the plan expects and what is bought (or owned) already. */
export interface CoverageProgress {
  targetPct: number;
  plannedPct: number;
  plannedCost: string;
  /** The AOI share covered by picks bought (or owned) so far, as planned (a lower bound when a pick failed). */
  boughtPct: number;
  naiveCost: string | null;
  stoppedBy: CoveragePlanRecord['stoppedBy'];
  picks: number;
  dryRun: boolean;
}
