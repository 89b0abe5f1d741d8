/**
 * Batches beside the plain script a pipeline would otherwise write: the same items, grouped into the same orders,
 * bought with the same concurrency. The batch runs on a worker process of its own, so its CPU, the server's
 * persistence writes and the worker's peak memory are measured for it alone; the script (price a group, create its
 * order, check it out, `concurrency` orders at a time) runs in this process with the product's DataCosmos client.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { DataCosmosClient } from '../src/datacosmos';
import type { BatchResult } from '../src/shared/batch-types';
import type { LineItem } from '../src/shared/purchase-types';
import { startBatch } from '../src/workflow-client/batch-client';
import type { ItemSupply } from '../harness/catalog';
import { pool, round } from '../harness/stats';
import { batchTimeline, type BatchTimeline } from './batch-timeline';
import { measureCost } from './cost';
import { rssMb } from './payment';
import { ACCOUNT, type BenchStack } from './stack';
import { defaultContractId, scriptedOrder } from './throughput';

export interface BatchSetting {
  items: number;
  itemsPerOrder: number;
  concurrency: number;
  latencyMs: number;
}

export interface BatchRunFigures extends BatchSetting {
  batchSeconds: number;
  batchItemsPerSecond: number;
  scriptSeconds: number;
  scriptItemsPerSecond: number;
  /** Batch items/s over the script's. */
  ratio: number;
  /** Per item: CPU ms by process (server, PostgreSQL on that engine, worker, simulator) and persistence writes. */
  cpuMsPerItem: Record<string, number>;
  writesPerItem: number;
  /** The batch workflow's own history events, over all its runs (it continues as new). */
  batchHistoryEvents: number;
  workerPeakRssMb: number;
  /** Where a sample of its purchases spent their time. */
  timeline: BatchTimeline;
}

const QUEUE = 'bench-batch';

/** Every setting of one run of the scenario: grouped settings at both sizes, one item per order at the smaller. */
export function batchSettings(sizes: number[], latencies: number[]): BatchSetting[] {
  const settings: BatchSetting[] = [];
  for (const latencyMs of latencies)
    for (const items of sizes)
      for (const [itemsPerOrder, concurrency] of [
        [1, 10],
        [20, 10],
        [50, 10],
        [20, 50],
      ]) {
        // An order per item at the larger size takes tens of minutes and adds nothing the smaller does not show.
        if (itemsPerOrder === 1 && items > sizes[0]) continue;
        settings.push({ items, itemsPerOrder, concurrency, latencyMs });
      }
  return settings;
}

/** `ITEMS/PER_ORDER/AT_A_TIME/LATENCY_MS`, as `--batch` takes it: one setting, say the 10000/20/10/100. */
export function parseBatchSetting(text: string): BatchSetting {
  const numbers = text.split('/').map(Number);
  if (numbers.length !== 4 || !numbers.every((n) => Number.isInteger(n) && n >= 0) || numbers.slice(0, 3).includes(0))
    throw new Error(
      `"${text}" is not ITEMS/PER_ORDER/AT_A_TIME/LATENCY_MS (positive whole numbers, latency 0 or more)`,
    );
  const [items, itemsPerOrder, concurrency, latencyMs] = numbers;
  return { items, itemsPerOrder, concurrency, latencyMs };
}

export async function measureBatches(
  stack: BenchStack,
  supply: ItemSupply,
  settings: BatchSetting[],
  log: (line: string) => void,
): Promise<BatchRunFigures[]> {
  const worker = stack.workerProcess(stack.settings(QUEUE));
  const api = new DataCosmosClient({ apiUrl: stack.sim.url, authUrl: stack.sim.url, ...ACCOUNT });
  try {
    const figures: BatchRunFigures[] = [];
    for (const setting of settings) {
      await stack.admin.setFaults(
        setting.latencyMs ? { seed: 1, endpoints: { '*': { latencyMs: setting.latencyMs } } } : {},
      );
      log(
        `batch of ${setting.items} items, ${setting.itemsPerOrder} per order, ${setting.concurrency} at a time, ` +
          `${setting.latencyMs} ms API latency: the batch, then the script`,
      );
      figures.push(await measureOne(stack, supply, api, worker, setting));
    }
    return figures;
  } finally {
    await stack.admin.setFaults({});
    await api.close();
    await stack.stopWorkerProcess(worker);
  }
}

async function measureOne(
  stack: BenchStack,
  supply: ItemSupply,
  api: DataCosmosClient,
  worker: ChildProcess,
  setting: BatchSetting,
): Promise<BatchRunFigures> {
  const batchId = `bench-batch-${randomUUID().slice(0, 8)}`;
  let peakRss = rssMb(worker.pid as number);
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(worker.pid as number))), 250);
  const started = performance.now();
  const { cost } = await measureCost(stack.costProbe([worker]), setting.items, async () => {
    const { handle } = await startBatch(
      stack.client,
      { taskQueue: stack.queue(QUEUE), organisationId: ACCOUNT.organisationId },
      {
        batchId,
        items: supply.take(setting.items),
        budget: '1000000000',
        itemsPerOrder: setting.itemsPerOrder,
        concurrency: setting.concurrency,
      },
    );
    const result: BatchResult = await handle.result();
    if (result.counts.PAID !== setting.items) throw new Error(`batch ${batchId} bought ${result.counts.PAID}`);
  });
  const batchSeconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  let batchHistoryEvents = 0;
  for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${batchId}'` }))
    batchHistoryEvents += run.historyLength;
  const timeline = await batchTimeline(stack.client, batchId);

  const scriptSeconds = await plainScript(api, supply.take(setting.items), setting);
  const batchItemsPerSecond = setting.items / batchSeconds;
  const scriptItemsPerSecond = setting.items / scriptSeconds;
  return {
    ...setting,
    batchSeconds: round(batchSeconds, 1),
    batchItemsPerSecond: round(batchItemsPerSecond, 1),
    scriptSeconds: round(scriptSeconds, 1),
    scriptItemsPerSecond: round(scriptItemsPerSecond, 1),
    ratio: round(batchItemsPerSecond / scriptItemsPerSecond),
    cpuMsPerItem: cost.cpuMsPerPurchase,
    writesPerItem: cost.persistence.writesPerPurchase,
    batchHistoryEvents,
    workerPeakRssMb: peakRss,
    timeline,
  };
}

/** The script: the items in orders of `itemsPerOrder`, each priced, created and checked out, `concurrency` at once. */
async function plainScript(api: DataCosmosClient, items: LineItem[], setting: BatchSetting): Promise<number> {
  const contractId = await defaultContractId(api);
  const orders: LineItem[][] = [];
  for (let i = 0; i < items.length; i += setting.itemsPerOrder) orders.push(items.slice(i, i + setting.itemsPerOrder));
  const started = performance.now();
  await pool(orders.length, setting.concurrency, (i) => scriptedOrder(api, contractId, orders[i]));
  return (performance.now() - started) / 1000;
}

export function batchTable(figures: BatchRunFigures[]): string[] {
  return [
    '| items | per order | at a time | API latency | batch items/s | script items/s | ratio | CPU ms per item | writes per item | batch history events | worker peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...figures.map((f) => {
      const cpu = Object.entries(f.cpuMsPerItem)
        .map(([name, ms]) => `${name} ${ms}`)
        .join(', ');
      return (
        `| ${f.items} | ${f.itemsPerOrder} | ${f.concurrency} | ${f.latencyMs} ms | ${f.batchItemsPerSecond} | ` +
        `${f.scriptItemsPerSecond} | ${f.ratio} | ${cpu} | ${f.writesPerItem} | ${f.batchHistoryEvents} | ` +
        `${f.workerPeakRssMb} MB |`
      );
    }),
  ];
}

/** Where the purchases' time went, per setting: means per purchase in ms (local activities run inside workflow tasks). */
export function batchTimelineTable(figures: BatchRunFigures[]): string[] {
  return [
    '| items | per order | at a time | API latency | purchases read | mean ms per purchase | batch refill ms | planning steps (last run): count, mean ms |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...figures.map(({ timeline, ...f }) => {
      const steps = Object.entries(timeline.meanMs)
        .map(([name, ms]) => `${name} ${ms}`)
        .join(', ');
      return (
        `| ${f.items} | ${f.itemsPerOrder} | ${f.concurrency} | ${f.latencyMs} ms | ${timeline.purchases} | ${steps} | ` +
        `${timeline.refillMs} | ${timeline.planning.chunks}, ${timeline.planning.meanMs} |`
      );
    }),
  ];
}
