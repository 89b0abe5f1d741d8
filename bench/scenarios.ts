/**
 * The benchmark scenarios, run on one stack (one Temporal engine): what each measures, its targets, and one
 * line of detail per measure.
 */
import { ItemSupply } from './catalog';
import type { RunCost } from './cost';
import { creditsPurchaseEvents, longWait } from './history';
import { paymentDetection, waitingWorkerMemory } from './payment';
import type { Check } from './report';
import { measureSimulatorCapacity } from './sim-capacity';
import type { BenchStack } from './stack';
import { round } from './stats';
import { orchestratedPurchases, sideBySide } from './throughput';
import { TASK_QUEUE } from '../src/shared/purchase-types';

export const SCENARIOS = ['simulator', 'throughput', 'rate-limit', 'payment', 'history', 'memory'] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function plan(quick: boolean) {
  return quick
    ? {
        simSeconds: 3,
        purchases: 150,
        concurrency: 50,
        sweep: { purchases: 60, concurrencies: [5, 10, 25] },
        rateLimited: 120,
        payments: 60,
        waiting: 300,
        waitSeconds: 60,
      }
    : {
        simSeconds: 10,
        purchases: 1000,
        concurrency: 50,
        sweep: { purchases: 300, concurrencies: [5, 10, 25] },
        rateLimited: 300,
        payments: 200,
        waiting: 2000,
        waitSeconds: 400,
      };
}
export type Plan = ReturnType<typeof plan>;

export interface Findings {
  results: Record<string, unknown>;
  checks: Check[];
  details: string[];
  /** What a credits purchase cost (the throughput scenario at 0 ms latency). */
  cost?: RunCost;
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
  await stack.admin.setCredits(1001, '1000000000');
  const sweepItems = 2 * n.sweep.purchases * n.sweep.concurrencies.length;
  const supply = await ItemSupply.load(
    stack.sim.url,
    4 * n.purchases + sweepItems + n.rateLimited + n.payments + n.waiting + 20,
  );

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
        const probe = latencyMs === 0 ? stack.costProbe([worker]) : undefined;
        const run = await sideBySide(stack, supply, 'bench-throughput', n.purchases, n.concurrency, probe);
        const { orchestrator, plainPool: plain, ratio } = run;
        runs[`latency${latencyMs}ms`] = run;
        details.push(
          `- Throughput at ${latencyMs} ms latency: orchestrator ${orchestrator.purchasesPerSecond}/s (p50 ${orchestrator.p50Ms} ms, p99 ${orchestrator.p99Ms} ms), plain pool ${plain.purchasesPerSecond}/s (p50 ${plain.p50Ms} ms, p99 ${plain.p99Ms} ms), ratio ${ratio}.`,
        );
        if (run.cost) {
          cost = run.cost;
          details.push(`- Cost of a credits purchase at 0 ms latency: ${costLine(run.cost)}.`);
        }
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

  if (selected.has('rate-limit')) {
    const limit = 50;
    const budget = 48;
    log(
      `API-limit utilisation: simulator limit ${limit} req/s per client, two workers sharing a fleet budget of ${budget}/s, each paced at ${limit / 2} requests/s`,
    );
    await stack.admin.setSettings({ rateLimit: limit, rateLimitScope: 'client' });
    // Each worker also paces its own requests at half the limit: the fleet budget counts activity starts, and the
    // look-up of a retried order create pages through the order list in one activity (unpaced, such a page burst
    // is answered 429 and the look-up starts over on the next attempt).
    const workerSettings = stack.settings(TASK_QUEUE, {
      fleetMaxRequestsPerSecond: budget,
      maxRequestsPerSecond: limit / 2,
    });
    const stopWorkers = [await stack.worker(workerSettings), await stack.worker(workerSettings)];
    try {
      await orchestratedPurchases(stack, supply, TASK_QUEUE, 3, 3);
      await stack.admin.clearStats();
      const run = await orchestratedPurchases(stack, supply, TASK_QUEUE, n.rateLimited, n.concurrency);
      const stats = await stack.admin.stats();
      const ceiling = limit / 3;
      const utilisation = round((100 * run.purchasesPerSecond) / ceiling, 1);
      const share429 = round((100 * stats.rateLimited) / Math.max(1, stats.total), 2);
      results.rateLimit = {
        limit,
        scope: 'client',
        workers: stopWorkers.length,
        fleetBudget: budget,
        ceilingPurchasesPerSecond: round(ceiling),
        run,
        utilisationPercent: utilisation,
        share429Percent: share429,
      };
      checks.push({ name: 'share of the API-limit ceiling', value: utilisation, unit: '%', target: 90, kind: 'min' });
      checks.push({ name: 'requests answered 429', value: share429, unit: '%', target: 2, kind: 'max' });
      details.push(
        `- Rate limit ${limit} req/s per API client, two workers sharing a fleet budget of ${budget} DataCosmos activities/s (each paced at ${limit / 2} requests/s): ${run.purchasesPerSecond} purchases/s against a ceiling of ${round(ceiling)} (3 calls each), ${share429} % answered 429.`,
      );
    } finally {
      for (const stop of stopWorkers) await stop();
      await stack.admin.setSettings({ rateLimit: 0, rateLimitScope: 'token' });
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
  return { results, checks, details, cost };
}
