/**
 * `npm run bench`: every measure on the local stack in one run, comparisons side by side, and coverage planning
 * (which needs no stack). Writes bench/results/<timestamp>.json, .md and .svg, and prints the summary. `--quick`
 * runs smaller numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { ItemSupply } from './catalog';
import { claimCostPerPurchase, perItemWorkflowClaims, registryClaims } from './claims';
import { CLAIM_SHARDS } from '../src/shared/claim-types';
import { runCoverageBench, type CoverageBenchRow } from './coverage';
import { creditsPurchaseEvents, longWait } from './history';
import { startup } from './startup';
import { startPurchase } from '../src/workflow-client/purchase-client';
import { ACCOUNT, BenchStack } from './stack';
import { paymentDetection, waitingWorkerMemory } from './payment';
import { markdownSummary, svgChart, type Check } from './report';
import { measureSimulatorCapacity } from './sim-capacity';
import { round } from './stats';
import { orchestratedPurchases, sideBySide } from './throughput';

const SCENARIOS = [
  'simulator',
  'throughput',
  'rate-limit',
  'payment',
  'history',
  'memory',
  'claims',
  'startup',
  'coverage',
] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Options {
  quick: boolean;
  only?: Scenario[];
}

function plan(quick: boolean) {
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
        claims: 300,
        startupRuns: 5,
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
        claims: 1000,
        startupRuns: 15,
      };
}

async function main(options: Options): Promise<void> {
  const n = plan(options.quick);
  const selected = new Set<Scenario>(options.only ?? SCENARIOS);
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  const results: Record<string, unknown> = { startedAt: new Date().toISOString(), quick: options.quick, plan: n };
  const checks: Check[] = [];
  const details: string[] = [];
  if (selected.has('coverage')) {
    log('coverage planning: generated areas of several sizes, and one with 10,000 candidate scenes');
    results.coverage = coverageScenario(checks, details);
  }
  if ([...selected].some((scenario) => scenario !== 'coverage'))
    await onStack(n, selected, { results, checks, details, log });
  await writeResults(options, results, checks, details);
}

/** Plan costs against buying every intersecting scene whole (and clipped), at >= 98 % coverage; planning time. */
function coverageScenario(checks: Check[], details: string[]) {
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

interface Collected {
  results: Record<string, unknown>;
  checks: Check[];
  details: string[];
  log: (line: string) => void;
}

/** The measures that need the local stack (Temporal, simulator, workers). */
async function onStack(
  n: ReturnType<typeof plan>,
  selected: Set<Scenario>,
  { results, checks, details, log }: Collected,
): Promise<void> {
  const stack = await BenchStack.start(log);
  try {
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
      const stopWorker = await stack.worker(stack.settings('bench-throughput'));
      try {
        await orchestratedPurchases(stack, supply, 'bench-throughput', 5, 5); // warm the worker and its caches
        const runs: Record<string, unknown> = {};
        for (const latencyMs of [0, 100]) {
          await stack.admin.setFaults(latencyMs ? { seed: 1, endpoints: { '*': { latencyMs } } } : {});
          log(`throughput at ${latencyMs} ms API latency: ${n.purchases} purchases, ${n.concurrency} at a time`);
          const run = await sideBySide(stack, supply, 'bench-throughput', n.purchases, n.concurrency);
          const { orchestrator, plainPool: plain, ratio } = run;
          runs[`latency${latencyMs}ms`] = run;
          details.push(
            `- Throughput at ${latencyMs} ms latency: orchestrator ${orchestrator.purchasesPerSecond}/s (p50 ${orchestrator.p50Ms} ms, p99 ${orchestrator.p99Ms} ms), plain pool ${plain.purchasesPerSecond}/s (p50 ${plain.p50Ms} ms, p99 ${plain.p99Ms} ms), ratio ${ratio}.`,
          );
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
        await stopWorker();
      }
    }

    if (selected.has('rate-limit')) {
      const limit = 50;
      const budget = 48;
      log(
        `API-limit utilisation: simulator limit ${limit} req/s per client, two workers sharing a fleet budget of ${budget}/s`,
      );
      await stack.admin.setSettings({ rateLimit: limit, rateLimitScope: 'client' });
      const workerSettings = stack.settings('bench-rate', { fleetMaxRequestsPerSecond: budget });
      const stopWorkers = [await stack.worker(workerSettings), await stack.worker(workerSettings)];
      try {
        await orchestratedPurchases(stack, supply, 'bench-rate', 3, 3);
        await stack.admin.clearStats();
        const run = await orchestratedPurchases(stack, supply, 'bench-rate', n.rateLimited, n.concurrency);
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
          `- Rate limit ${limit} req/s per API client, two workers sharing a fleet budget of ${budget} DataCosmos activities/s: ${run.purchasesPerSecond} purchases/s against a ceiling of ${round(ceiling)} (3 calls each), ${share429} % answered 429.`,
        );
      } finally {
        for (const stop of stopWorkers) await stop();
        await stack.admin.setSettings({ rateLimit: 0, rateLimitScope: 'token' });
      }
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
          { taskQueue: 'bench-startup', organisationId: ACCOUNT.organisationId },
          { purchaseId, items: supply.take(1) },
        );
        await handle.result();
        const figures = startup(settings, purchaseId, stack.cliPath, n.startupRuns);
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
  } finally {
    await stack.stop();
  }
}

async function writeResults(options: Options, results: Record<string, unknown>, checks: Check[], details: string[]) {
  results.checks = checks;
  results.finishedAt = new Date().toISOString();
  const dir = path.resolve(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = (results.startedAt as string).replace(/[:.]/g, '-');
  const title = `datacosmos-purchase benchmarks ${results.startedAt}${options.quick ? ' (quick)' : ''}`;
  const summary = markdownSummary(title, checks, details);
  fs.writeFileSync(path.join(dir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, `${stamp}.md`), `${summary}\n![chart](${stamp}.svg)\n`);
  fs.writeFileSync(path.join(dir, `${stamp}.svg`), svgChart(title, checks));
  process.stdout.write(`${summary}\nresults: bench/results/${stamp}.{json,md,svg}\n`);
}

const program = new Command('bench')
  .option('--quick', 'smaller numbers, for a quick look', false)
  .option('--only <scenarios>', `comma-separated: ${SCENARIOS.join(', ')}`, (text) =>
    text.split(',').map((s) => {
      if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`--only: unknown scenario "${s}"`);
      return s as Scenario;
    }),
  )
  .parse();

main(program.opts<Options>()).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
