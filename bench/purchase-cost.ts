/**
 * What one purchase costs, by kind (credits; card, paid on the simulator and signalled once it waits) and by worker
 * mode (without a fleet budget, the default; with one, whose DataCosmos steps go through the budget queue; with a
 * spend limit set, which every purchase reserves against): the
 * tasks and history events it takes, the Temporal server's persistence and visibility writes, the CPU of the server
 * and of the worker (a process of its own), and its latency beside a plain async pool at 1 and 5 at a time.
 */
import { randomUUID } from 'node:crypto';
import { setSpendLimit } from '../src/activities/spend';
import { CLAIM_SHARDS, claimShard } from '../src/shared/claim-types';
import { itemKey } from '../src/shared/item-key';
import { paymentCompletedSignal } from '../src/shared/purchase-messages';
import type { LineItem } from '../src/shared/purchase-types';
import { startPurchase } from '../src/workflow-client/purchase-client';
import type { ItemSupply } from '../harness/catalog';
import { measureCost, type RunCost } from './cost';
import { ACCOUNT, type BenchStack } from './stack';
import { organisationLimit } from '../harness/spend-limit';
import { round } from '../harness/stats';
import { orchestratedPurchases, sideBySide } from './throughput';

/** 'spend limit': no fleet budget, and an organisation limit set, so every purchase's reservation is checked against it. */
export const COST_MODES = ['no budget', 'fleet budget', 'spend limit'] as const;
export type CostMode = (typeof COST_MODES)[number];

/** A fleet budget far above what one machine sends: it routes the steps through the budget queue, never slows them. */
const UNLIMITING_BUDGET = 1_000;
const API_LATENCY_MS = 100;
/** Items looked through for one in every claim shard (about 300 are needed on average for 64 shards). */
const WARM_ITEMS = 800;
/** How long the processes are watched at rest before a one-at-a-time run, to take their upkeep out of its CPU. */
const REST_MS = 3_000;

export interface KindCost {
  purchases: number;
  /** Workflow tasks completed per purchase, every workflow counted (the purchase's and its claim registries'). */
  workflowTasks: number;
  /** The purchase's own workflow tasks (from its history). */
  purchaseWorkflowTasks: number;
  /** Activity tasks the server dispatched per purchase. */
  activityTasks: number;
  /** Local activities the purchase ran in its own workflow tasks (markers in its history). */
  localActivities: number;
  historyEvents: number;
  persistenceWrites: number;
  persistenceRequests: number;
  writesByOperation: Record<string, number>;
  visibilityWrites: number;
  visibilityByOperation: Record<string, number>;
  /** CPU ms per purchase: the Temporal server (with its database, when it has one of its own), the worker. */
  serverCpuMs: number;
  workerCpuMs: number;
}

export interface LatencyBeside {
  concurrency: number;
  purchases: number;
  orchestratorP50Ms: number;
  poolP50Ms: number;
  /** The pool's p50 over the orchestrator's: 1 is as fast as the pool, 0.8 is 1.25 times as slow. */
  ratio: number;
}

export interface ModeCost {
  mode: CostMode;
  credits: KindCost;
  card: KindCost;
  /** At 100 ms API latency. */
  latency: LatencyBeside[];
}

export interface CostPlan {
  /** Purchases of each kind measured one at a time. */
  each: number;
  /** Credits purchases at 100 ms latency by concurrency, through the orchestrator and through the pool. */
  latency: Array<{ concurrency: number; purchases: number }>;
}

export function costPlanItems(plan: CostPlan): number {
  const perMode = 5 + WARM_ITEMS + 2 * plan.each + plan.latency.reduce((sum, l) => sum + 2 * l.purchases, 0);
  return COST_MODES.length * perMode;
}

export async function measurePurchaseCosts(
  stack: BenchStack,
  supply: ItemSupply,
  plan: CostPlan,
  log: (line: string) => void,
): Promise<ModeCost[]> {
  const modes: ModeCost[] = [];
  for (const mode of COST_MODES) modes.push(await modeCost(stack, supply, plan, mode, log));
  return modes;
}

async function modeCost(
  stack: BenchStack,
  supply: ItemSupply,
  plan: CostPlan,
  mode: CostMode,
  log: (line: string) => void,
): Promise<ModeCost> {
  const taskQueue = {
    'no budget': 'bench-cost',
    'fleet budget': 'bench-cost-budget',
    'spend limit': 'bench-cost-limit',
  }[mode];
  const budget = mode === 'fleet budget' ? { fleetMaxRequestsPerSecond: UNLIMITING_BUDGET } : {};
  const worker = stack.workerProcess(stack.settings(taskQueue, budget));
  const probe = stack.costProbe([worker]);
  try {
    await stack.admin.setFaults({});
    await stack.admin.setCredits(ACCOUNT.organisationId, '1000000000');
    await orchestratedPurchases(stack, supply, taskQueue, 5, 5); // warm the worker and its caches
    await warmRegistries(stack, supply, taskQueue);
    if (mode === 'spend limit') await setBenchLimit(stack, taskQueue);
    log(`cost (${mode}): ${plan.each} credits purchases, one at a time`);
    const credits = await kindCost(stack, plan.each, probe, (id) => creditsPurchase(stack, supply, taskQueue, id));
    await stack.admin.setCredits(ACCOUNT.organisationId, '0');
    log(`cost (${mode}): ${plan.each} card purchases, one at a time, each paid and signalled once it waits`);
    const card = await kindCost(stack, plan.each, probe, (id) => cardPurchase(stack, supply, taskQueue, id));
    await stack.admin.setCredits(ACCOUNT.organisationId, '1000000000');
    await stack.admin.setFaults({ seed: 1, endpoints: { '*': { latencyMs: API_LATENCY_MS } } });
    const latency: LatencyBeside[] = [];
    for (const { concurrency, purchases } of plan.latency) {
      log(`latency (${mode}) at ${API_LATENCY_MS} ms API latency: ${purchases} purchases, ${concurrency} at a time`);
      const run = await sideBySide(stack, supply, taskQueue, purchases, concurrency);
      latency.push({
        concurrency,
        purchases,
        orchestratorP50Ms: run.orchestrator.p50Ms,
        poolP50Ms: run.plainPool.p50Ms,
        ratio: round(run.plainPool.p50Ms / run.orchestrator.p50Ms),
      });
    }
    return { mode, credits, card, latency };
  } finally {
    await stack.admin.setFaults({});
    await stack.stopWorkerProcess(worker);
  }
}

/** An organisation limit far above what the run spends: each purchase's reservation is counted, none refused. */
async function setBenchLimit(stack: BenchStack, taskQueue: string): Promise<void> {
  await setSpendLimit(
    stack.client,
    { taskQueue: stack.queue(taskQueue), organisationId: ACCOUNT.organisationId },
    organisationLimit('bench-month', 'month', '1000000000000'),
    600_000,
  );
}

/**
 * One purchase with an item in every claim shard: every registry of the organisation runs before the measured
 * purchases, so none of them pays for starting one (a cost an organisation pays once per shard, ever).
 */
async function warmRegistries(stack: BenchStack, supply: ItemSupply, taskQueue: string): Promise<void> {
  const perShard = new Map<number, LineItem>();
  for (const line of supply.take(WARM_ITEMS)) {
    if (!perShard.has(claimShard(itemKey(line)))) perShard.set(claimShard(itemKey(line)), line);
  }
  if (perShard.size < CLAIM_SHARDS) throw new Error(`${WARM_ITEMS} items reach only ${perShard.size} claim shards`);
  const { handle } = await startPurchase(
    stack.client,
    { taskQueue: stack.queue(taskQueue), organisationId: ACCOUNT.organisationId },
    { purchaseId: `bench-cost-warm-${randomUUID().slice(0, 8)}`, items: [...perShard.values()] },
  );
  const result = await handle.result();
  if (result.end !== 'COMPLETED') throw new Error(`warming the registries ended ${result.end}: ${result.reason}`);
}

/** Runs `count` purchases one at a time through `buy(id)`, then reads what they cost from the server and histories. */
async function kindCost(
  stack: BenchStack,
  count: number,
  probe: ReturnType<BenchStack['costProbe']>,
  buy: (purchaseId: string) => Promise<void>,
): Promise<KindCost> {
  const tag = randomUUID().slice(0, 8);
  const ids = Array.from({ length: count }, (_, i) => `bench-cost-${tag}-${i}`);
  const { cost } = await measureCost(
    probe,
    count,
    async () => {
      for (const id of ids) await buy(id);
    },
    { restMs: REST_MS },
  );
  const histories = await Promise.all(ids.map((id) => historyCounts(stack, id)));
  const mean = (pick: (h: HistoryCounts) => number) => round(histories.reduce((t, h) => t + pick(h), 0) / count, 1);
  return {
    purchases: count,
    workflowTasks: cost.tasks.workflowTasksPerPurchase,
    purchaseWorkflowTasks: mean((h) => h.workflowTasks),
    activityTasks: cost.tasks.activityTasksPerPurchase,
    localActivities: mean((h) => h.localActivities),
    historyEvents: mean((h) => h.events),
    persistenceWrites: cost.persistence.writesPerPurchase,
    persistenceRequests: cost.persistence.requestsPerPurchase,
    writesByOperation: cost.persistence.writesByOperation,
    visibilityWrites: cost.visibility.writesPerPurchase,
    visibilityByOperation: cost.visibility.writesByOperation,
    serverCpuMs: serverCpu(cost),
    workerCpuMs: cost.cpuMsPerPurchase.worker ?? 0,
  };
}

/** The Temporal server's CPU, with its database when that runs apart (PostgreSQL). */
export function serverCpu(cost: RunCost): number {
  return round((cost.cpuMsPerPurchase['Temporal server'] ?? 0) + (cost.cpuMsPerPurchase.PostgreSQL ?? 0), 1);
}

interface HistoryCounts {
  events: number;
  workflowTasks: number;
  localActivities: number;
}

async function historyCounts(stack: BenchStack, purchaseId: string): Promise<HistoryCounts> {
  const events = (await stack.client.workflow.getHandle(purchaseId).fetchHistory()).events ?? [];
  return {
    events: events.length,
    workflowTasks: events.filter((e) => e.workflowTaskCompletedEventAttributes).length,
    localActivities: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
  };
}

async function creditsPurchase(stack: BenchStack, supply: ItemSupply, taskQueue: string, purchaseId: string) {
  const { handle } = await startPurchase(
    stack.client,
    { taskQueue: stack.queue(taskQueue), organisationId: ACCOUNT.organisationId },
    { purchaseId, items: supply.take(1), activityTimeoutMs: 30_000 },
  );
  const result = await handle.result();
  if (result.end !== 'COMPLETED') throw new Error(`purchase ${purchaseId} ended ${result.end}: ${result.reason}`);
}

/**
 * A card purchase: once it has read its unpaid order (its first payment check, seen in the simulator's counts, so
 * the benchmark asks Temporal nothing meanwhile), the order is paid and the purchase told by signal, as a payment
 * webhook would.
 */
async function cardPurchase(stack: BenchStack, supply: ItemSupply, taskQueue: string, purchaseId: string) {
  const [line] = supply.take(1);
  const readsBefore = await orderReads(stack);
  const { handle } = await startPurchase(
    stack.client,
    { taskQueue: stack.queue(taskQueue), organisationId: ACCOUNT.organisationId },
    { purchaseId, items: [line], activityTimeoutMs: 30_000 },
  );
  const deadline = Date.now() + 60_000;
  while ((await orderReads(stack)) <= readsBefore) {
    if (Date.now() > deadline) throw new Error(`purchase ${purchaseId} never read its order`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const [order] = await stack.admin.ordersHolding(ACCOUNT.organisationId, line.item);
  if (!order) throw new Error(`purchase ${purchaseId} read an order the simulator does not have`);
  await stack.admin.payOrder(order.id);
  await handle.signal(paymentCompletedSignal, order.id);
  const result = await handle.result();
  if (result.end !== 'COMPLETED') throw new Error(`purchase ${purchaseId} ended ${result.end}: ${result.reason}`);
}

async function orderReads(stack: BenchStack): Promise<number> {
  return (await stack.admin.stats()).endpoints.order_get?.requests ?? 0;
}
