/**
 * The benchmark scenarios, run on one stack (one Temporal engine), and coverage planning, which needs none: what
 * each measures, its targets, and one line of detail per measure.
 */
import os from 'node:os';
import { resolveTemporalCli } from '../local/temporal-cli';
import { CLAIM_SHARDS } from '../src/shared/claim-types';
import { startPurchase } from '../src/workflow-client/purchase-client';
import { ItemSupply } from '../harness/catalog';
import { claimCostPerPurchase, perItemWorkflowClaims, registryClaims } from './claims';
import { batchSettings, batchTable, batchTimelineTable, measureBatches } from './batch';
import { runCoverageBench, type CoverageBenchRow } from './coverage';
import type { RunCost } from './cost';
import { costChecks, costTables, readBaseline } from './cost-report';
import { creditsPurchaseEvents, longWait } from './history';
import { largeBatch, largeBatchLine } from './large-batch';
import { paymentDetection, waitingWorkerMemory } from './payment';
import type { Check } from './report';
import { costPlanItems, measurePurchaseCosts, serverCpu, type CostPlan, type ModeCost } from './purchase-cost';
import { measureSimulatorCapacity } from './sim-capacity';
import { ACCOUNT, type BenchStack } from './stack';
import { startup } from './startup';
import { round } from '../harness/stats';
import { orchestratedPurchases, sideBySide } from './throughput';
import { TASK_QUEUE } from '../src/shared/purchase-types';

export const SCENARIOS = [
  'simulator',
  'throughput',
  'cost',
  'rate-limit',
  'payment',
  'history',
  'memory',
  'claims',
  'startup',
  'coverage',
  'large-batch',
  'batch',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/**
 * The API-limit scenario runs at a limit this 2-core machine can fill with purchases: at 50 req/s (16.7 purchases/s)
 * the server, the workers and the simulator need more than its cores (47 % of that ceiling measured, CPU bound), and
 * at 24 req/s long runs still met the cores now and then; at 20 req/s what it measures is the fleet budget.
 */
export function plan(quick: boolean) {
  /** Each setting's quick value beside its full one. */
  const pick = <T>(quickValue: T, fullValue: T): T => (quick ? quickValue : fullValue);
  return {
    simSeconds: pick(3, 10),
    purchases: pick(150, 1000),
    concurrency: 50,
    sweep: { purchases: pick(60, 300), concurrencies: [5, 10, 25] },
    rateLimited: { purchases: pick(360, 900), workers: [2, 4], apiLimit: 20, fleetBudget: 19 },
    payments: pick(60, 200),
    waiting: pick(300, 2000),
    waitSeconds: pick(60, 400),
    claims: pick(300, 1000),
    startupRuns: pick(5, 15),
    cost: pick(costPlan(10, 30), costPlan(30, 100)),
    largeBatch: pick({ items: 10_000, buySample: 100 }, { items: 50_000, buySample: 500 }),
    batch: pick(batchSettings([200, 1000], [0, 100]), batchSettings([1000, 10_000], [0, 100])),
  };
}
export type Plan = ReturnType<typeof plan>;

/** `each` purchases of each kind one at a time, as many at 1 at a time beside the pool, `atFive` at 5 at a time. */
function costPlan(each: number, atFive: number): CostPlan {
  return {
    each,
    latency: [
      { concurrency: 1, purchases: each },
      { concurrency: 5, purchases: atFive },
    ],
  };
}

export interface Findings {
  results: Record<string, unknown>;
  checks: Check[];
  details: string[];
  /** What a credits purchase cost (the throughput scenario at 0 ms latency). */
  cost?: RunCost;
  /** What a purchase costs by kind and worker mode (the cost scenario). */
  purchaseCosts?: ModeCost[];
}

/** CPU per process and persistence writes of one purchase, in one line. */
export function costLine(cost: RunCost): string {
  const cpu = Object.entries(cost.cpuMsPerPurchase)
    .map(([name, ms]) => `${name} ${ms}`)
    .join(', ');
  const top = Object.entries(cost.persistence.writesByOperation)
    .slice(0, 4)
    .map(([operation, n]) => `${operation} ${n}`)
    .join(', ');
  return (
    `CPU ms per purchase: ${cpu}; ${cost.persistence.writesPerPurchase} persistence writes ` +
    `(${cost.persistence.requestsPerPurchase} requests) per purchase, most: ${top}`
  );
}

/** Distinct catalog items the selected scenarios buy (or plan), so the simulator's catalog is made that large. */
export function itemsNeeded(n: Plan, selected: Set<Scenario>): number {
  const sweepItems = 2 * n.sweep.purchases * n.sweep.concurrencies.length;
  const largeItems = selected.has('large-batch') ? n.largeBatch.items + n.largeBatch.buySample : 0;
  const batchItems = selected.has('batch') ? n.batch.reduce((sum, setting) => sum + 2 * setting.items, 0) : 0;
  return (
    4 * n.purchases +
    sweepItems +
    costPlanItems(n.cost) +
    n.rateLimited.workers.length * (n.rateLimited.purchases + RATE_LIMIT_WARM_UP) +
    n.payments +
    n.waiting +
    20 +
    largeItems +
    batchItems
  );
}

export async function runScenarios(
  stack: BenchStack,
  n: Plan,
  selected: Set<Scenario>,
  log: (line: string) => void,
): Promise<Findings> {
  const results: Record<string, unknown> = {};
  const checks: Check[] = [];
  const details: string[] = [];
  let cost: RunCost | undefined;
  let purchaseCosts: ModeCost[] | undefined;
  await stack.admin.setCredits(1001, '1000000000');
  const supply = await ItemSupply.load(stack.sim.url, itemsNeeded(n, selected));

  if (selected.has('batch')) {
    const figures = await measureBatches(stack, supply, n.batch, log);
    results.batch = figures;
    details.push(
      '- Batches beside the plain script (same items, orders and concurrency):',
      '',
      ...batchTable(figures),
      '',
      '- Where the time of a sample of their purchases went (local activities, such as the claims, the spend',
      '  reservation and the checkout without a fleet budget, run inside workflow tasks):',
      '',
      ...batchTimelineTable(figures),
      '',
    );
  }

  if (selected.has('large-batch')) {
    log(`a batch of ${n.largeBatch.items} items: planning, then a sample bought at the default settings`);
    const figures = await largeBatch(stack, supply, n.largeBatch.items, n.largeBatch.buySample);
    results.largeBatch = figures;
    details.push(largeBatchLine(figures));
  }

  if (selected.has('simulator')) {
    log('simulator capacity (GET order, faults off)');
    const capacity = await measureSimulatorCapacity(stack.sim.url, supply.take(1)[0], n.simSeconds);
    results.simulator = capacity;
    checks.push({
      name: 'simulator GET order',
      value: capacity.requestsPerSecond,
      unit: 'req/s',
      target: 2000,
      kind: 'min',
    });
    details.push(
      `- Simulator: ${capacity.requests} GET-order requests over ${capacity.connections} connections in ${capacity.seconds} s, p50 ${capacity.p50Ms} ms, p99 ${capacity.p99Ms} ms.`,
    );
  }

  if (selected.has('throughput')) {
    // The worker runs as its own process, so what a purchase costs it is measured apart from this one's.
    const worker = stack.workerProcess(stack.settings('bench-throughput'));
    try {
      await orchestratedPurchases(stack, supply, 'bench-throughput', 5, 5); // warm the worker and its caches
      const runs: Record<string, unknown> = {};
      for (const latencyMs of [0, 100]) {
        await stack.admin.setFaults(latencyMs ? { seed: 1, endpoints: { '*': { latencyMs } } } : {});
        log(`throughput at ${latencyMs} ms API latency: ${n.purchases} purchases, ${n.concurrency} at a time`);
        const run = await sideBySide(
          stack,
          supply,
          'bench-throughput',
          n.purchases,
          n.concurrency,
          stack.costProbe([worker]),
        );
        const { orchestrator, plainPool: plain, ratio } = run;
        runs[`latency${latencyMs}ms`] = run;
        details.push(
          `- Throughput at ${latencyMs} ms latency: orchestrator ${orchestrator.purchasesPerSecond}/s (p50 ${orchestrator.p50Ms} ms, p99 ${orchestrator.p99Ms} ms), plain pool ${plain.purchasesPerSecond}/s (p50 ${plain.p50Ms} ms, p99 ${plain.p99Ms} ms), ratio ${ratio}.`,
        );
        if (run.cost && latencyMs === 0) {
          cost = run.cost;
          details.push(`- Cost of a credits purchase at 0 ms latency: ${costLine(run.cost)}.`);
        }
        if (run.cost && latencyMs === 100)
          details.push(`- ${cpuCeiling(run.orchestrator.purchasesPerSecond, run.cost)}`);
        if (latencyMs === 100)
          checks.push({
            name: 'orchestrator / plain pool at 100 ms',
            value: ratio,
            unit: '',
            target: 0.8,
            kind: 'min',
          });
        if (latencyMs === 0)
          checks.push({
            name: 'API calls per credits purchase',
            value: run.apiCallsPerCreditsPurchase,
            unit: 'calls',
            target: 3,
            kind: 'max',
          });
      }
      // How the ratio moves with concurrency, still at 100 ms: where the Temporal server starts to set the pace.
      const sweep = [];
      for (const concurrency of n.sweep.concurrencies) {
        log(`throughput at 100 ms API latency: ${n.sweep.purchases} purchases, ${concurrency} at a time`);
        sweep.push({
          concurrency,
          ...(await sideBySide(stack, supply, 'bench-throughput', n.sweep.purchases, concurrency)),
        });
      }
      runs.concurrencySweep100ms = sweep;
      details.push(
        `- By concurrency at 100 ms latency (${n.sweep.purchases} purchases each): ${sweep
          .map(
            (s) =>
              `${s.concurrency} at a time: orchestrator ${s.orchestrator.purchasesPerSecond}/s vs pool ${s.plainPool.purchasesPerSecond}/s, ratio ${s.ratio}`,
          )
          .join('; ')}.`,
      );
      results.throughput = runs;
      await stack.admin.setFaults({});
    } finally {
      await stack.stopWorkerProcess(worker);
    }
  }

  if (selected.has('cost')) {
    purchaseCosts = await measurePurchaseCosts(stack, supply, n.cost, log);
    results.purchaseCosts = purchaseCosts;
    const baseline = readBaseline(stack.engine.name);
    checks.push(...costChecks(purchaseCosts, baseline));
    details.push(...costTables(purchaseCosts, baseline));
  }

  if (selected.has('rate-limit')) {
    const runs = [];
    for (const workers of n.rateLimited.workers) {
      const run = await fleetBudgetRun(stack, supply, { ...n.rateLimited, workers }, n.concurrency, log);
      runs.push(run);
      checks.push(
        {
          name: `share of the API-limit ceiling, ${workers} workers`,
          value: run.utilisationPercent,
          unit: '%',
          target: 90,
          kind: 'min',
        },
        {
          name: `requests answered 429, ${workers} workers`,
          value: run.share429Percent,
          unit: '%',
          target: 2,
          kind: 'max',
        },
      );
      details.push(
        `- Rate limit ${run.limit} req/s per API client, ${workers} workers sharing a fleet budget of ${run.fleetBudget} DataCosmos activities/s (each also paced at the limit), ${run.run.purchases} purchases in ${run.run.seconds} s: ${run.run.purchasesPerSecond} purchases/s against a ceiling of ${run.ceilingPurchasesPerSecond} (3 calls each), ${run.requestsPerSecond} requests/s answered, ${run.share429Percent} % answered 429.`,
      );
    }
    results.rateLimit = runs;
  }

  if (selected.has('claims')) {
    log(`claims: ${n.claims} items, 50 at a time, through the claim registry and through one workflow per item`);
    const stopWorker = await stack.worker(stack.settings('bench-claims'));
    try {
      const registry = await registryClaims(stack, 'bench-claims', n.claims, 50);
      const perItem = await perItemWorkflowClaims(stack, n.claims, 50);
      const purchase = await claimCostPerPurchase(stack, supply, 'bench-claims');
      results.claims = { registry, perItemWorkflow: perItem, perPurchase: purchase };
      details.push(
        `- Claims (${n.claims} items, 50 at a time): the registry ${registry.claimsPerSecond} claims/s (p50 ${registry.p50Ms} ms, p99 ${registry.p99Ms} ms), ${registry.eventsPerClaim} registry events per item claimed and settled, ${CLAIM_SHARDS} executions per organisation in all; one workflow per item ${perItem.claimsPerSecond} claims/s (p50 ${perItem.p50Ms} ms, p99 ${perItem.p99Ms} ms), ${perItem.eventsPerClaim} events and one execution per item. Per credits purchase (${purchase.purchases}, one at a time) the claim adds ${purchase.purchaseEvents} events to the purchase's own history and a step of p50 ${purchase.claimP50Ms} ms / p99 ${purchase.claimP99Ms} ms.`,
      );
    } finally {
      await stopWorker();
    }
  }

  if (selected.has('startup')) {
    log(
      `start-up: medians of ${n.startupRuns} runs of dcp --help and dcp status, beside node -e 0 and the temporal CLI`,
    );
    const settings = stack.settings('bench-startup');
    const stopWorker = await stack.worker(settings);
    try {
      const purchaseId = `bench-startup-${Date.now()}`;
      const { handle } = await startPurchase(
        stack.client,
        { taskQueue: settings.temporal.taskQueue, organisationId: ACCOUNT.organisationId },
        { purchaseId, items: supply.take(1) },
      );
      await handle.result();
      const figures = startup(settings, purchaseId, await resolveTemporalCli({ log }), n.startupRuns);
      results.startup = figures;
      checks.push({ name: 'dcp --help / node -e 0', value: figures.helpRatio, unit: 'x', target: 3, kind: 'max' });
      checks.push({
        name: 'dcp status / temporal workflow describe',
        value: figures.statusRatio,
        unit: 'x',
        target: 2,
        kind: 'max',
      });
      details.push(
        `- Start-up (median of ${figures.runs} runs): node -e 0 ${figures.nodeMs} ms, dcp --help ${figures.dcpHelpMs} ms (${figures.helpRatio}x), temporal --help ${figures.temporalHelpMs} ms; dcp status ${figures.dcpStatusMs} ms vs temporal workflow describe ${figures.temporalDescribeMs} ms (${figures.statusRatio}x).`,
      );
    } finally {
      await stopWorker();
    }
  }

  if (selected.has('payment') || selected.has('history') || selected.has('memory'))
    await stack.admin.setCredits(1001, '0');

  if (selected.has('payment')) {
    const poll = { firstMs: 1_000, factor: 1.5, capMs: 5_000 };
    log(
      `payment detection: ${n.payments} card purchases paid at random moments: half signalled (default poll schedule), half polled`,
    );
    const stopWorker = await stack.worker(stack.settings('bench-payment'));
    try {
      const detection = await paymentDetection(stack, supply, 'bench-payment', n.payments, poll);
      results.payment = { poll, ...detection };
      checks.push({
        name: 'payment seen by signal, p99',
        value: detection.signal.p99Ms,
        unit: 'ms',
        target: 1000,
        kind: 'max',
      });
      details.push(
        `- Payment detection: by signal (default poll schedule) p50 ${detection.signal.p50Ms} ms / p99 ${detection.signal.p99Ms} ms, by polling alone (every ${poll.firstMs} ms x${poll.factor} up to ${poll.capMs} ms) p50 ${detection.polling.p50Ms} ms / p99 ${detection.polling.p99Ms} ms; ${detection.polling.pollsPerPurchase} polls per purchase when polling, ${detection.signal.pollsPerPurchase} with a signal; ${detection.apiCallsPerCardPurchase} API calls per card purchase.`,
      );
    } finally {
      await stopWorker();
    }
  }

  if (selected.has('history')) {
    log(`history: a credits purchase, and a ${n.waitSeconds} s payment wait polled every second`);
    const stopWorker = await stack.worker(stack.settings('bench-history'));
    try {
      await stack.admin.setCredits(1001, '1000000000');
      const creditsEvents = await creditsPurchaseEvents(stack, supply, 'bench-history');
      await stack.admin.setCredits(1001, '0');
      const wait = await longWait(stack, supply, 'bench-history', n.waitSeconds);
      results.history = { creditsPurchaseEvents: creditsEvents, longWait: wait };
      checks.push({
        name: 'events of a credits purchase',
        value: creditsEvents,
        unit: 'events',
        target: 40,
        kind: 'max',
      });
      checks.push({
        name: 'largest run of a long payment wait',
        value: wait.largestRunEvents,
        unit: 'events',
        target: 1999,
        kind: 'max',
      });
      details.push(
        `- History: a credits purchase takes ${creditsEvents} events; a ${wait.seconds} s payment wait polled every second made ${wait.polls} polls in ${wait.runs} runs (continue-as-new at 1,500 events), the largest ${wait.largestRunEvents} events; it ended ${wait.end}.`,
      );
    } finally {
      await stopWorker();
    }
  }

  if (selected.has('memory')) {
    log(`worker memory with ${n.waiting} purchases waiting on payment`);
    const memory = await waitingWorkerMemory(stack, supply, 'bench-memory', n.waiting);
    results.memory = memory;
    checks.push({
      name: `worker RSS, ${memory.purchases} waiting`,
      value: memory.waitingRssMb,
      unit: 'MB',
      target: 500,
      kind: 'max',
    });
    details.push(
      `- Worker memory: ${memory.idleRssMb} MB idle, ${memory.waitingRssMb} MB with ${memory.purchases} purchases waiting on payment.`,
    );
  }
  return { results, checks, details, cost, purchaseCosts };
}

/** How much of the machine a run used: purchases/s times CPU per purchase (server and worker, then all), in cores. */
function cpuCeiling(purchasesPerSecond: number, cost: RunCost): string {
  const cores = (ms: number) => round((purchasesPerSecond * ms) / 1000, 2);
  const serverAndWorker = serverCpu(cost) + (cost.cpuMsPerPurchase.worker ?? 0);
  const all = cost.cpuMsPerPurchase.total;
  return (
    `CPU at 100 ms latency, 50 at a time: ${purchasesPerSecond} purchases/s x ${round(serverAndWorker, 1)} ms (server + worker) = ` +
    `${cores(serverAndWorker)} cores, ${cores(all)} with the simulator (${all} ms), of ${os.cpus().length}; ` +
    `at this cost the cores allow ${round((os.cpus().length * 1000) / all, 1)} purchases/s.`
  );
}

/** Plan costs against buying every intersecting scene whole (and clipped), at >= 98 % coverage; planning time. */
export function coverageScenario(checks: Check[], details: string[]) {
  const coverage = runCoverageBench();
  for (const row of coverage.rows) {
    checks.push({ name: `coverage cost / naive, ${row.area}`, value: row.vsNaive, unit: '', target: 0.5, kind: 'max' });
    checks.push({ name: `coverage reached, ${row.area}`, value: row.coveragePct, unit: '%', target: 98, kind: 'min' });
    details.push(coverageDetail(row));
  }
  const largest = coverage.rows.reduce((a, b) => (b.candidates > a.candidates ? b : a));
  checks.push({
    name: `coverage planning, ${largest.candidates.toLocaleString('en-US')} candidates`,
    value: largest.planMs,
    unit: 'ms',
    target: 5000,
    kind: 'max',
  });
  return coverage;
}

function coverageDetail(r: CoverageBenchRow): string {
  return (
    `- Coverage, ${r.area} (${r.aoiKm2} km², ${r.candidates} candidates, ${r.intersecting} intersecting): ` +
    `${r.picks} pick${r.picks === 1 ? '' : 's'} reach ${r.coveragePct} % for ${r.cost}; every intersecting scene whole ${r.naiveCost} ` +
    `(ratio ${r.vsNaive}), all clipped ${r.clippedCost} (ratio ${r.vsClipped}), the greedy choice of whole scenes ` +
    `${r.wholeScenesCost}; planned in ${r.planMs} ms (${r.planCpuMs} ms processor time), baselines ${r.baselinesMs} ms.`
  );
}

/** Purchases a fleet-budget run makes before it measures, so every worker has polled and cached its contract. */
const RATE_LIMIT_WARM_UP = 6;

/**
 * `workers` worker processes sharing a fleet budget of activities/s a little under an API limit per client, each
 * also pacing its own requests at the limit, as docs/production.md advises (the fleet budget counts activity starts;
 * the pace keeps one process's page burst, such as a retried create's order look-up, under the limit). A pace at each
 * worker's share of the limit capped a worker whenever Temporal handed it more than its share: 79.5 % of the ceiling
 * with 4 workers, 93.3 % at the limit (2026-12-05).
 */
async function fleetBudgetRun(
  stack: BenchStack,
  supply: ItemSupply,
  fleet: { workers: number; purchases: number; apiLimit: number; fleetBudget: number },
  concurrency: number,
  log: (line: string) => void,
) {
  const { workers, purchases, apiLimit: limit, fleetBudget } = fleet;
  log(
    `API-limit utilisation: simulator limit ${limit} req/s per client, ${workers} workers sharing a fleet budget of ${fleetBudget}/s, each also paced at the limit, ${purchases} purchases`,
  );
  await stack.admin.setSettings({ rateLimit: limit, rateLimitScope: 'client' });
  const taskQueue = `${TASK_QUEUE}-fleet-${workers}`;
  const workerSettings = stack.settings(taskQueue, {
    fleetMaxRequestsPerSecond: fleetBudget,
    maxRequestsPerSecond: limit,
  });
  const stopWorkers = [];
  try {
    for (let i = 0; i < workers; i++) stopWorkers.push(await stack.worker(workerSettings));
    await orchestratedPurchases(stack, supply, taskQueue, RATE_LIMIT_WARM_UP, RATE_LIMIT_WARM_UP);
    await stack.admin.clearStats();
    const run = await orchestratedPurchases(stack, supply, taskQueue, purchases, concurrency);
    const stats = await stack.admin.stats();
    const ceiling = limit / 3;
    return {
      limit,
      scope: 'client',
      workers,
      fleetBudget,
      ceilingPurchasesPerSecond: round(ceiling),
      run,
      requestsPerSecond: round((stats.total - stats.rateLimited) / run.seconds, 1),
      utilisationPercent: round((100 * run.purchasesPerSecond) / ceiling, 1),
      share429Percent: round((100 * stats.rateLimited) / Math.max(1, stats.total), 2),
    };
  } finally {
    for (const stop of stopWorkers) await stop();
    await stack.admin.setSettings({ rateLimit: 0, rateLimitScope: 'token' });
  }
}
