/** Checks a batch input before any side effect; used by the CLI and again by the workflow. Pure. */
import { compare, isDecimal } from './money';
import { notifyUrlProblems } from './notification-types';
import { quoteValue } from './one-line';
import { MAX_BATCH_CONCURRENCY, MAX_ITEMS_PER_ORDER, type BatchInput } from './batch-types';
import { MAX_COVERAGE_CANDIDATES, PREFERENCES, type CoverageRequest } from './coverage-types';
import { INLINE_BYTES, jsonBytes } from './stored-pages';

export function batchInputProblems(input: BatchInput): string[] {
  const problems: string[] = [];
  if (!input.batchId || /\s/.test(input.batchId)) problems.push('batchId must be a non-empty id without spaces');
  const sources = [input.search, input.items, input.storedItems, input.coverage];
  if (sources.filter((source) => source !== undefined).length !== 1)
    problems.push('give exactly one of a search, an item list or an area of interest');
  if (input.items !== undefined && input.items.length === 0) problems.push('the item list is empty');
  problems.push(...notifyUrlProblems(input.notify));
  if (input.storedItems !== undefined && input.storedItems.count === 0) problems.push('the item list is empty');

  if (!positiveAmount(input.budget))
    problems.push(`budget ${quoteValue(String(input.budget))} is not a positive decimal amount`);
  if (input.maxPricePerItem !== undefined && !positiveAmount(input.maxPricePerItem)) {
    problems.push(`maxPricePerItem ${quoteValue(String(input.maxPricePerItem))} is not a positive decimal amount`);
  }
  const perOrder = input.itemsPerOrder;
  if (perOrder !== undefined && !(Number.isInteger(perOrder) && perOrder >= 1 && perOrder <= MAX_ITEMS_PER_ORDER)) {
    problems.push(`itemsPerOrder must be a whole number from 1 to ${MAX_ITEMS_PER_ORDER}`);
  }
  const concurrency = input.concurrency;
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= MAX_BATCH_CONCURRENCY)
  ) {
    problems.push(`concurrency must be a whole number from 1 to ${MAX_BATCH_CONCURRENCY}`);
  }
  const maxItems = input.search?.maxItems;
  if (maxItems !== undefined && !(Number.isInteger(maxItems) && maxItems >= 1)) {
    problems.push('search maxItems must be a positive whole number');
  }
  if (input.coverage !== undefined) problems.push(...coverageProblems(input.coverage));
  if (input.schedule !== undefined) {
    if (!input.search && !input.coverage) problems.push('a scheduled batch needs a search or an area of interest');
    if ((input.search ?? input.coverage)?.datetime !== undefined)
      problems.push('a scheduled search sets no datetime: each run searches its own window');
    if (!(Number.isInteger(input.schedule.windowMs) && input.schedule.windowMs > 0))
      problems.push('schedule windowMs must be a positive whole number of milliseconds');
  }
  return problems;
}

/**
 * What the batch workflow itself also checks of the input it was started with: a list carried inline stays small
 * (`startBatch` stores a larger one in pages before it starts the batch; a client that does not is refused).
 */
export function startedInputProblems(input: BatchInput): string[] {
  const bytes = input.items === undefined ? 0 : jsonBytes(input.items);
  return bytes > INLINE_BYTES
    ? [`the item list is ${bytes} bytes, over the ${INLINE_BYTES} a batch carries inline: start it with startBatch`]
    : [];
}

function coverageProblems(c: CoverageRequest): string[] {
  const problems: string[] = [];
  if (c.storedAoi === undefined) {
    if (c.aoi?.type !== 'MultiPolygon' || !Array.isArray(c.aoi.coordinates) || c.aoi.coordinates.length === 0)
      problems.push('coverage aoi must be a MultiPolygon with at least one polygon');
  } else if (c.aoi !== undefined) problems.push('coverage takes an aoi or a stored aoi, not both');
  const pct = c.minCoveragePct;
  if (pct !== undefined && !(typeof pct === 'number' && pct > 0 && pct <= 100))
    problems.push('coverage minCoveragePct must be above 0 and at most 100');
  if (c.prefer !== undefined && !PREFERENCES.includes(c.prefer))
    problems.push(`coverage prefer must be one of ${PREFERENCES.join(', ')}`);
  const cap = c.maxCandidates;
  if (cap !== undefined && !(Number.isInteger(cap) && cap >= 1 && cap <= MAX_COVERAGE_CANDIDATES))
    problems.push(`coverage maxCandidates must be a whole number from 1 to ${MAX_COVERAGE_CANDIDATES}`);
  if (c.projectId !== undefined && !/^\S{1,200}$/.test(c.projectId))
    problems.push('coverage projectId must be 1 to 200 characters without spaces');
  return problems;
}

function positiveAmount(value: string): boolean {
  return typeof value === 'string' && isDecimal(value) && compare(value, '0') > 0;
}
