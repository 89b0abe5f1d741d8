/** Checks a batch input before any side effect; used by the CLI and again by the workflow. Pure. */
import { compare, isDecimal } from './money';
import { MAX_BATCH_CONCURRENCY, MAX_ITEMS_PER_ORDER, type BatchInput } from './batch-types';

export function batchInputProblems(input: BatchInput): string[] {
  const problems: string[] = [];
  if (!input.batchId || /\s/.test(input.batchId)) problems.push('batchId must be a non-empty id without spaces');
  if ((input.search === undefined) === (input.items === undefined))
    problems.push('give either a search or an item list');
  if (input.items !== undefined && input.items.length === 0) problems.push('the item list is empty');
  if (!positiveAmount(input.budget)) problems.push(`budget "${input.budget}" is not a positive decimal amount`);
  if (input.maxPricePerItem !== undefined && !positiveAmount(input.maxPricePerItem)) {
    problems.push(`maxPricePerItem "${input.maxPricePerItem}" is not a positive decimal amount`);
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
  if (input.schedule !== undefined) {
    if (!input.search) problems.push('a scheduled batch needs a search');
    if (input.search?.datetime !== undefined)
      problems.push('a scheduled search sets no datetime: each run searches its own window');
    if (!(Number.isInteger(input.schedule.windowMs) && input.schedule.windowMs > 0))
      problems.push('schedule windowMs must be a positive whole number of milliseconds');
  }
  return problems;
}

function positiveAmount(value: string): boolean {
  return typeof value === 'string' && isDecimal(value) && compare(value, '0') > 0;
}
