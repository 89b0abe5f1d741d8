/** The options that shape a batch, shared by `dcp batch` and `dcp schedule create`: parsing and the input fields. */
import type { Command } from 'commander';
import { MAX_BATCH_CONCURRENCY, MAX_ITEMS_PER_ORDER, type BatchInput } from '../shared/batch-types';
import { addDeliveryOptions } from './command-options';
import { deliverOptions } from './deliver-option';
import { amount, currency, integer, notifyUrl, positiveInteger, repeatable } from './options';

export interface BatchShapeOptions {
  currency?: string;
  maxPrice?: string;
  itemsPerOrder?: number;
  concurrency?: number;
  contract?: number;
  deliver?: string;
  deliverEndpoint?: string;
  notify?: string[];
}

export function addBatchShapeOptions(command: Command): Command {
  command
    .option('--currency <code>', 'currency of the budget (checked against the contract)', currency)
    .option('--max-price <amount>', 'skip items priced above this', amount)
    .option('--items-per-order <n>', 'items per order (default 1)', integer(1, MAX_ITEMS_PER_ORDER))
    .option('--concurrency <n>', 'purchases at once (default 10)', integer(1, MAX_BATCH_CONCURRENCY))
    .option('--contract <id>', 'contract id (default: the organisation default contract)', positiveInteger);
  return addDeliveryOptions(command).option(
    '--notify <url>',
    'post each event of the batch and its purchases, signed, to this URL (repeat for several; see docs/batches.md)',
    repeatable(notifyUrl),
  );
}

/** The batch input fields these options set (absent options leave the workflow's defaults). */
export function batchShape(
  options: BatchShapeOptions,
): Pick<
  BatchInput,
  'currency' | 'maxPricePerItem' | 'itemsPerOrder' | 'concurrency' | 'contractId' | 'deliver' | 'notify'
> {
  const deliver = deliverOptions(options);
  return {
    ...(options.currency ? { currency: options.currency } : {}),
    ...(options.maxPrice ? { maxPricePerItem: options.maxPrice } : {}),
    ...(options.itemsPerOrder ? { itemsPerOrder: options.itemsPerOrder } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.contract ? { contractId: options.contract } : {}),
    ...(deliver ? { deliver } : {}),
    ...(options.notify ? { notify: options.notify } : {}),
  };
}
