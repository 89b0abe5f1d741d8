/**
 * Credits purchases through the orchestrator beside a plain, non-durable async pool that makes the same
 * API calls with the same client and concurrency (what a user would write instead).
 */
import { randomUUID } from 'node:crypto';
import { DataCosmosClient } from '../src/datacosmos';
import { startPurchase } from '../src/workflow-client/purchase-client';
import type { LineItem } from '../src/shared/purchase-types';
import type { ItemSupply } from '../harness/catalog';
import { measureCost, type CostProbe, type RunCost } from './cost';
import { ACCOUNT, type BenchStack } from './stack';
import { percentile, pool, round } from '../harness/stats';

export interface RunFigures {
  purchases: number;
  seconds: number;
  purchasesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function figures(durations: number[], elapsedMs: number): RunFigures {
  return {
    purchases: durations.length,
    seconds: round(elapsedMs / 1000, 1),
    purchasesPerSecond: round(durations.length / (elapsedMs / 1000)),
    p50Ms: round(percentile(durations, 50), 0),
    p99Ms: round(percentile(durations, 99), 0),
  };
}

/** Runs `count` credits purchases through workflows, `concurrency` at a time; the worker must be running. */
export async function orchestratedPurchases(
  stack: BenchStack,
  supply: ItemSupply,
  taskQueue: string,
  count: number,
  concurrency: number,
): Promise<RunFigures> {
  const tag = randomUUID().slice(0, 8);
  const started = performance.now();
  const durations = await pool(count, concurrency, async (i) => {
    const { handle } = await startPurchase(
      stack.client,
      { taskQueue: stack.queue(taskQueue), organisationId: ACCOUNT.organisationId },
      { purchaseId: `bench-${tag}-${i}`, items: supply.take(1), activityTimeoutMs: 30_000 },
    );
    const result = await handle.result();
    if (result.end !== 'COMPLETED')
      throw new Error(`purchase ${result.purchaseId} ended ${result.end}: ${result.reason}`);
  });
  return figures(durations, performance.now() - started);
}

/** The organisation's default contract, as the plain scripts buy under it. */
export async function defaultContractId(api: DataCosmosClient): Promise<number> {
  return (await api.listContracts(ACCOUNT.organisationId)).find((c) => c.default_contract)!.contract_id;
}

/** What a plain script does for one order: price its items, create it, check it out; it must end PAID. */
export async function scriptedOrder(api: DataCosmosClient, contractId: number, lines: LineItem[]): Promise<void> {
  const prices = await api.priceItems(contractId, lines);
  if (prices.length !== lines.length) throw new Error(`${prices.length} prices for ${lines.length} items`);
  const order = await api.createOrder({
    type: 'IMAGE',
    data: { order_line_items: lines },
    organisation: ACCOUNT.organisationId,
    contract_id: contractId,
  });
  const outcome = await api.checkout(order.id);
  if (outcome.order?.status !== 'PAID') throw new Error(`order ${order.id} is ${outcome.order?.status}`);
}

/** The same calls (price, create, checkout) straight from an async pool: fast, but nothing survives a crash. */
export async function plainPoolPurchases(
  stack: BenchStack,
  supply: ItemSupply,
  count: number,
  concurrency: number,
): Promise<RunFigures> {
  const api = new DataCosmosClient({
    apiUrl: stack.sim.url,
    authUrl: stack.sim.url,
    ...ACCOUNT,
    requestTimeoutMs: 10_000,
  });
  const contractId = await defaultContractId(api);
  const started = performance.now();
  const durations = await pool(count, concurrency, async () => scriptedOrder(api, contractId, supply.take(1)));
  const result = figures(durations, performance.now() - started);
  await api.close();
  return result;
}

export interface SideBySide {
  orchestrator: RunFigures;
  plainPool: RunFigures;
  /** Orchestrator purchases/s over the pool's. */
  ratio: number;
  /** DataCosmos calls (token requests aside) per orchestrated purchase, from the simulator's counts. */
  apiCallsPerCreditsPurchase: number;
  /** With a cost probe: what an orchestrated purchase cost the machine. */
  cost?: RunCost;
}

/**
 * The same number of credits purchases, at the same concurrency, through workflows and then through the pool;
 * with `probe`, the workflows' run also measures what each purchase costs.
 */
export async function sideBySide(
  stack: BenchStack,
  supply: ItemSupply,
  taskQueue: string,
  count: number,
  concurrency: number,
  probe?: CostProbe,
): Promise<SideBySide> {
  await stack.admin.clearStats();
  const run = () => orchestratedPurchases(stack, supply, taskQueue, count, concurrency);
  const measured = probe ? await measureCost(probe, count, run) : { result: await run(), cost: undefined };
  const orchestrator = measured.result;
  const stats = await stack.admin.stats();
  const calls = Object.entries(stats.endpoints)
    .filter(([endpoint]) => endpoint !== 'token')
    .reduce((sum, [, e]) => sum + e.requests, 0);
  const plainPool = await plainPoolPurchases(stack, supply, count, concurrency);
  return {
    orchestrator,
    plainPool,
    ratio: round(orchestrator.purchasesPerSecond / plainPool.purchasesPerSecond),
    apiCallsPerCreditsPurchase: round(calls / count, 2),
    ...(measured.cost ? { cost: measured.cost } : {}),
  };
}
