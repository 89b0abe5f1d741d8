/**
 * Coverage planning, the activity of `dcp batch --aoi`: every catalog item that intersects the area of interest
 * (with the batch's filters, up to a cap), priced under the contract, with a rate per km² derived from its price
 * and `opencosmos:data_area_km2`; what the organisation owns counts as free coverage (only the part an order
 * bought, when the order shows it) and what another purchase is buying is left out. The plan's clipped picks are
 * then priced through the API's sub-area price, so the plan's cost is what the purchases will be charged; a
 * plan those prices take over the budget is made again with less. Returns the plan without its uncovered
 * remainder, which may be large and is no business of the workflow's history.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { DataCosmosClient, StacItem } from '../datacosmos';
import { aoiFromGeoJson, AoiError, planningAoi, type Aoi } from '../coverage/aoi';
import type { CoverageCandidate, CoveragePlan } from '../coverage/plan';
import type { CoveragePickRecord, CoveragePlanRecord, PlanCoverageInput } from '../shared/coverage-types';
import { MAX_COVERAGE_CANDIDATES } from '../shared/coverage-types';
import { itemKey } from '../shared/item-key';
import { add, compare, divide, multiply, normalize, roundTo, toDecimal } from '../shared/money';
import { Context } from '@temporalio/activity';
import { storeList } from '../page-store/page-store';
import { apiStep, businessRule, cancellation } from './failures';
import { ownershipOf, type Ownership, type PaidItemsMemory } from './ownership';
import { inlinePrice, priceRest, type ItemPriceFact } from './pricing';
import { planOffThread } from './plan-off-thread';
import { ledgerState } from './spend';
import { storedText } from './stored-input';
import { leastLeft } from '../shared/spend-limits';

export interface CoverageActivityDependencies {
  client: DataCosmosClient;
  organisationId: number;
  paidItems: PaidItemsMemory;
}

/** Items per search page. */
const PAGE_SIZE = 500;
/** Fraction digits of a derived rate per km²: far below a cent on any scene. */
const RATE_PLACES = 8;
/** Plans made at most, when sub-area prices take a plan over the budget. */
const MAX_PLANS = 3;

/**
 * What the spend limits over the batch leave, when that is less than its budget: the plan spends no more, so its
 * picks are not refused one by one when bought.
 */
async function limitedBudget(
  input: PlanCoverageInput,
  organisationId: number,
): Promise<{ limit: string; left: string } | null> {
  if (input.currency === undefined) return null;
  const state = await ledgerState(Context.current().client, { taskQueue: input.claimScope, organisationId });
  const spend = { contractId: input.contractId, scheduleId: input.scheduleId ?? null, currency: input.currency };
  const least = leastLeft(state, spend, Date.now());
  return least !== null && compare(least.left, input.budget) < 0 ? least : null;
}

export function createCoverageActivities(deps: CoverageActivityDependencies) {
  const { client, organisationId } = deps;
  return {
    /** Plans, then stores the picks in pages of the batch (a plan over thousands of scenes is large). */
    async planCoverage(input: PlanCoverageInput): Promise<CoveragePlanRecord> {
      const { request } = input;
      const aoi = planningAoi(
        readAoi(request.storedAoi ? JSON.parse(await storedText(request.storedAoi)) : request.aoi),
      );
      const cap = request.maxCandidates ?? MAX_COVERAGE_CANDIDATES;
      const found = await searchArea(client, input.contractId, aoi, input.request, cap);
      const inCap = found.slice(0, cap);
      const items = request.level ? inCap.filter((s) => s.properties['processing:level'] === request.level) : inCap;
      const prices = await scenePrices(client, input.contractId, items);
      const scope = { claimScope: input.claimScope, organisationId, readParts: true };
      const ownership = await ownershipOf(client, deps.paidItems, scope, items.map(keyOf));
      const candidates = items.flatMap((stacItem) => candidateOf(stacItem, prices.get(keyOf(stacItem)), ownership));
      const levels = new Map(items.map((s) => [keyOf(s), s.properties['processing:level'] ?? null]));
      const record = (plan: CoveragePlan, picks: CoveragePickRecord[]): PlanWithPicks => {
        const { uncovered: _uncovered, ...figures } = plan;
        return {
          ...figures,
          picks,
          cost: add('0', ...picks.map((pick) => pick.price)),
          candidates: candidates.length,
          candidatesCapped: found.length > cap,
          inFlight: items.filter((s) => ownership.inFlight.has(keyOf(s))).length,
          ...(ownership.unknown ? { ownershipUnknown: ownership.unknown } : {}),
        };
      };
      const options = { minCoveragePct: request.minCoveragePct, prefer: request.prefer, clip: request.clip };
      const limited = await limitedBudget(input, organisationId);
      const planBudget = limited?.left ?? input.budget;
      let budget = planBudget;
      const first = await planOffThread(aoi, candidates, { ...options, budget });
      let plan = first;
      for (let plans = 1; ; plans++) {
        const picks = await pricedPicks(client, input.contractId, plan, levels, ownership);
        const result = record({ ...plan, baselines: first.baselines }, picks);
        if (limited) result.limitedBy = limited;
        if (compare(result.cost, planBudget) <= 0 || plans === MAX_PLANS) return storePicks(input, result);
        budget = nextPlanBudget(budget, planBudget, result.cost);
        plan = await planOffThread(aoi, candidates, { ...options, budget, baselines: false });
      }
    },
  };
}

/**
 * The budget to plan with again when the API priced the clipped parts above their estimates: cut by the share the
 * plan went over. Cutting by the whole overage took a plan the API charged twice its estimate to a budget of nothing,
 * and the batch bought nothing although half the plan would have fitted.
 */
export function nextPlanBudget(budget: string, planBudget: string, cost: string): string {
  return normalize(roundTo(multiply(budget, divide(planBudget, cost, RATE_PLACES)), RATE_PLACES));
}

/** A plan whose picks are still in hand, before they are stored. */
type PlanWithPicks = Omit<CoveragePlanRecord, 'picks'> & { picks: CoveragePickRecord[] };

/**
 * Stores the picks under a name of this attempt's own: pages are written once, so an attempt that failed after
 * storing some would otherwise leave its picks under the plan a retry makes (the catalog, prices or claims may have
 * changed between them).
 */
export async function storePicks(input: PlanCoverageInput, plan: PlanWithPicks): Promise<CoveragePlanRecord> {
  const { client, info } = Context.current();
  const owner = { kind: 'workflow' as const, id: input.batchId };
  const picks = await storeList(
    client,
    { taskQueue: input.taskQueue, owner, name: `picks-${info.attempt}` },
    plan.picks,
  );
  return { ...plan, picks };
}

function readAoi(geometry: unknown): Aoi {
  try {
    return aoiFromGeoJson(geometry, 'aoi');
  } catch (err) {
    if (err instanceof AoiError) throw businessRule(err.message, 'InvalidAoi');
    throw err;
  }
}

function keyOf(stacItem: StacItem): string {
  return itemKey({ collection: stacItem.collection, item: stacItem.id });
}

/**
 * Every item of the search over the area, page after page, up to one more than `cap` (to tell it was capped); an
 * item a later page repeats is kept once.
 */
async function searchArea(
  client: DataCosmosClient,
  contractId: number,
  aoi: Aoi,
  request: PlanCoverageInput['request'],
  cap: number,
): Promise<StacItem[]> {
  const search = {
    intersects: { type: 'MultiPolygon' as const, coordinates: aoi.geometry.coordinates },
    ...(request.collections ? { collections: request.collections } : {}),
    ...(request.datetime ? { datetime: request.datetime } : {}),
    ...(request.cloudLt !== undefined ? { query: { 'eo:cloud_cover': { lt: request.cloudLt } } } : {}),
    contract_id: contractId,
    limit: Math.min(PAGE_SIZE, cap + 1),
  };
  const found = new Map<string, StacItem>();
  await apiStep(async () => {
    for await (const page of client.searchAll(search, { maxItems: cap + 1, signal: cancellation() })) {
      for (const stacItem of page) if (!found.has(keyOf(stacItem))) found.set(keyOf(stacItem), stacItem);
    }
  });
  return [...found.values()];
}

/** Each item's price under the contract: inline when the search gives one, else through the client. */
async function scenePrices(
  client: DataCosmosClient,
  contractId: number,
  items: StacItem[],
): Promise<Map<string, ItemPriceFact>> {
  const inline = new Map<string, ItemPriceFact>();
  for (const stacItem of items) {
    const price = inlinePrice(stacItem);
    if (price) inline.set(keyOf(stacItem), price);
  }
  return priceRest(
    client,
    contractId,
    items.map((s) => ({ collection: s.collection, item: s.id })),
    inline,
    cancellation(),
  );
}

/**
 * A catalog item as a candidate scene, or none when it cannot be one (no polygon footprint; unless owned, no price or
 * no processing level, without which it cannot be ordered) or another purchase is buying it. An owned item covers
 * what its order bought: the sub-area, when the order shows one.
 */
export function candidateOf(
  stacItem: StacItem,
  price: ItemPriceFact | undefined,
  ownership: Ownership,
): CoverageCandidate[] {
  const key = keyOf(stacItem);
  const owned = ownership.owned.has(key);
  const footprint = polygonal(owned ? (ownership.ownedParts.get(key) ?? stacItem.geometry) : stacItem.geometry);
  const orderable = price !== undefined && stacItem.properties['processing:level'] !== undefined;
  if (footprint === null || ownership.inFlight.has(key) || (!owned && !orderable)) return [];
  const properties = stacItem.properties;
  const area = properties['opencosmos:data_area_km2'];
  const scene = owned ? '0' : (price as ItemPriceFact).price;
  const perKm2 = area !== undefined && area > 0 ? divide(scene, toDecimal(area), RATE_PLACES) : undefined;
  return [
    {
      collection: stacItem.collection,
      item: stacItem.id,
      footprint,
      datetime: properties.datetime ?? '',
      cloudCover: properties['eo:cloud_cover'] ?? null,
      price: perKm2 === undefined ? { scene } : { scene, perKm2 },
      owned,
    },
  ];
}

/**
 * A Polygon or MultiPolygon whose rings are closed arrays of at least four [lon, lat] number pairs, else null: one
 * the polygon operations would throw on fails the planning activity at every retry, and the batch never plans.
 */
export function polygonal(geometry: StacItem['geometry']): Polygon | MultiPolygon | null {
  if (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon') return null;
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const closed = (r: number[][]) => r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1];
  const ring = (r: unknown) =>
    Array.isArray(r) &&
    r.length >= 4 &&
    r.every((p) => Array.isArray(p) && p.length >= 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n))) &&
    closed(r as number[][]);
  const valid = polygons.every((rings) => Array.isArray(rings) && rings.length > 0 && rings.every(ring));
  return valid ? (geometry as unknown as Polygon | MultiPolygon) : null;
}

/**
 * The plan's picks as the batch keeps them, clipped ones priced through the API's sub-area price (inline prices
 * are whole scenes'); owned ones with the order that holds them.
 */
async function pricedPicks(
  client: DataCosmosClient,
  contractId: number,
  plan: CoveragePlan,
  levels: Map<string, string | null>,
  ownership: Ownership,
): Promise<CoveragePickRecord[]> {
  const clipped = plan.picks.filter((pick) => pick.geometry !== null);
  const prices =
    clipped.length === 0
      ? []
      : await apiStep(() =>
          client.priceItems(
            contractId,
            clipped.map(({ collection, item, geometry }) => ({
              collection,
              item,
              geometry: { type: 'Polygon' as const, coordinates: (geometry as Polygon).coordinates },
            })),
            cancellation(),
          ),
        );
  const subAreaPrices = new Map(prices.map((price) => [itemKey(price), price.final]));
  return plan.picks.map((pick) => {
    const key = itemKey(pick);
    return {
      ...pick,
      level: levels.get(key) ?? null,
      ownedIn: pick.owned ? (ownership.owned.get(key) ?? null) : null,
      price: pick.geometry === null ? pick.price : (subAreaPrices.get(key) ?? pick.price),
    };
  });
}
