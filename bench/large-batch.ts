/**
 * A batch at the item-file limit (50,000 items) at the default settings: how long planning takes (every item
 * priced and fitted, nothing affordable under a per-item price of 0.01, so nothing is bought), with its history
 * events and bytes over every run; then how fast a sample of the default settings' buying goes (an order per
 * item, 10 at a time), from which buying all of them is worked out.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_BATCH_CONCURRENCY, DEFAULT_ITEMS_PER_ORDER, type BatchResult } from '../src/shared/batch-types';
import { startBatch } from '../src/workflow-client/batch-client';
import type { ItemSupply } from '../harness/catalog';
import { ACCOUNT, type BenchStack } from './stack';
import { round } from '../harness/stats';

export interface LargeBatchFigures {
  items: number;
  planSeconds: number;
  planItemsPerSecond: number;
  runs: number;
  historyEvents: number;
  historyMb: number;
  /** Buying at the defaults: a sample's items per second, and what all the items would take at that rate. */
  buySample: number;
  buyItemsPerSecond: number;
  buyAllHours: number;
}

const QUEUE = 'bench-large-batch';

export async function largeBatch(
  stack: BenchStack,
  supply: ItemSupply,
  count: number,
  sample: number,
): Promise<LargeBatchFigures> {
  const worker = await stack.worker(stack.settings(QUEUE));
  try {
    const options = { taskQueue: stack.queue(QUEUE), organisationId: ACCOUNT.organisationId };
    const planId = `bench-large-${randomUUID().slice(0, 8)}`;
    const planStart = performance.now();
    const planned = await startBatch(stack.client, options, {
      batchId: planId,
      items: supply.take(count),
      budget: '1000000000',
      maxPricePerItem: '0.01',
    });
    const plannedResult: BatchResult = await planned.handle.result();
    const planSeconds = (performance.now() - planStart) / 1000;
    let historyEvents = 0;
    let historyBytes = 0;
    for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${planId}'` })) {
      historyEvents += run.historyLength;
      historyBytes += run.historySize ?? 0;
    }

    const buyStart = performance.now();
    const bought = await startBatch(stack.client, options, {
      batchId: `bench-large-buy-${randomUUID().slice(0, 8)}`,
      items: supply.take(sample),
      budget: '1000000000',
    });
    const boughtResult: BatchResult = await bought.handle.result();
    if (boughtResult.counts.PAID !== sample)
      throw new Error(`the sample bought ${boughtResult.counts.PAID} of ${sample}`);
    const buyItemsPerSecond = sample / ((performance.now() - buyStart) / 1000);
    return {
      items: count,
      planSeconds: round(planSeconds, 1),
      planItemsPerSecond: Math.round(count / planSeconds),
      runs: plannedResult.runs + 1,
      historyEvents,
      historyMb: round(historyBytes / 1024 / 1024, 1),
      buySample: sample,
      buyItemsPerSecond: round(buyItemsPerSecond, 1),
      buyAllHours: round(count / buyItemsPerSecond / 3600, 1),
    };
  } finally {
    await worker();
  }
}

export function largeBatchLine(f: LargeBatchFigures): string {
  return (
    `- A batch of ${f.items} items (default settings: ${DEFAULT_ITEMS_PER_ORDER} item per order, ` +
    `${DEFAULT_BATCH_CONCURRENCY} at a time): planned in ${f.planSeconds} s (${f.planItemsPerSecond} items/s) over ` +
    `${f.runs} runs, ${f.historyEvents} history events and ${f.historyMb} MB of history in all; buying a sample of ` +
    `${f.buySample} ran at ${f.buyItemsPerSecond} items/s, so buying all ${f.items} would take about ${f.buyAllHours} h.`
  );
}
