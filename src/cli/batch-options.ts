/** The options that shape a batch, shared by `dcp batch` and `dcp schedule create`: parsing and the input fields. */
import path from 'node:path';
import type { Command } from 'commander';
import type { BatchInput } from '../shared/batch-types';
import { amount, positiveInteger } from './buy';
import { parser } from './context';

export interface BatchShapeOptions {
  currency?: string;
  maxPrice?: string;
  itemsPerOrder?: number;
  concurrency?: number;
  contract?: number;
  deliver?: string;
}

export function addBatchShapeOptions(command: Command): Command {
  return command
    .option('--currency <code>', 'currency of the budget (checked against the contract)')
    .option('--max-price <amount>', 'skip items priced above this', parser(amount))
    .option('--items-per-order <n>', 'items per order (default 1)', parser(positiveInteger))
    .option('--concurrency <n>', 'purchases at once (default 10)', parser(positiveInteger))
    .option('--contract <id>', 'contract id (default: the organisation default contract)', parser(positiveInteger))
    .option('--deliver <dir>', 'after payment, download every asset into this directory (on the worker machine)');
}

/** The batch input fields these options set (absent options leave the workflow's defaults). */
export function batchShape(
  options: BatchShapeOptions,
): Pick<BatchInput, 'currency' | 'maxPricePerItem' | 'itemsPerOrder' | 'concurrency' | 'contractId' | 'deliver'> {
  return {
    ...(options.currency ? { currency: options.currency.toUpperCase() } : {}),
    ...(options.maxPrice ? { maxPricePerItem: options.maxPrice } : {}),
    ...(options.itemsPerOrder ? { itemsPerOrder: options.itemsPerOrder } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.contract ? { contractId: options.contract } : {}),
    ...(options.deliver ? { deliver: { dir: path.resolve(options.deliver) } } : {}),
  };
}
