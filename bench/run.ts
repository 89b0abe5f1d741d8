/**
 * `npm run bench`: every measure on a stack of its own in one run, comparisons side by side. `--engine` picks the
 * Temporal it runs on: `dev` (the dev server, the default), `postgres` (the native production stack) or `both`,
 * one after the other with the same numbers, then a table of what a purchase costs each. Coverage planning runs
 * once, without a stack. Writes bench/results/<timestamp>.json, .md and .svg, and prints the summary. `--quick`
 * runs smaller numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { parseBatchSetting, type BatchSetting } from './batch';
import { ENGINES, type EngineName } from './engine';
import { recordBaseline } from './cost-report';
import { markdownSummary, svgChart, type Check } from './report';
import {
  coverageScenario,
  itemsNeeded,
  plan,
  runScenarios,
  SCENARIOS,
  type Findings,
  type Scenario,
} from './scenarios';
import { BenchStack } from './stack';

interface Options {
  quick: boolean;
  recordBaseline: boolean;
  only?: Scenario[];
  engine: EngineName | 'both';
  batch?: BatchSetting[];
}

/** With both engines, what tells them apart; the simulator's capacity does not depend on the engine. */
const BOTH_ENGINES_DEFAULT: Scenario[] = ['simulator', 'throughput', 'cost', 'rate-limit', 'memory'];

async function main(options: Options): Promise<void> {
  const n = { ...plan(options.quick), ...(options.batch ? { batch: options.batch } : {}) };
  const engines: EngineName[] = options.engine === 'both' ? [...ENGINES] : [options.engine];
  const selected = new Set<Scenario>(options.only ?? (engines.length > 1 ? BOTH_ENGINES_DEFAULT : SCENARIOS));
  const startedAt = new Date().toISOString();
  const results: Record<string, unknown> = { startedAt, quick: options.quick, plan: n, engines: {} };
  const checks: Check[] = [];
  const details: string[] = [];
  const costs: Array<[string, Findings]> = [];
  if (selected.has('coverage')) {
    process.stderr.write('[bench] coverage planning: generated areas of several sizes, one with 10,000 candidates\n');
    results.coverage = coverageScenario(checks, details);
  }
  for (const [i, engine] of engines.entries()) {
    const log = (line: string) => process.stderr.write(`[bench ${engine}] ${line}\n`);
    const scenarios = new Set([...selected].filter((s) => s !== 'coverage' && (i === 0 || s !== 'simulator')));
    if (!scenarios.size) continue;
    const stack = await BenchStack.start(engine, log, itemsNeeded(n, scenarios));
    try {
      log(`on ${stack.engine.description}`);
      const findings = await runScenarios(stack, n, scenarios, log);
      (results.engines as Record<string, unknown>)[engine] = {
        description: stack.engine.description,
        ...findings.results,
        cost: findings.cost,
      };
      const label = engines.length > 1 ? `${engine}: ` : '';
      checks.push(...findings.checks.map((c) => ({ ...c, name: `${label}${c.name}` })));
      details.push(`**${stack.engine.description}**`, '', ...findings.details, '');
      costs.push([engine, findings]);
      if (options.recordBaseline && findings.purchaseCosts) {
        recordBaseline(engine, findings.purchaseCosts, `npm run bench -- ${process.argv.slice(2).join(' ')}`);
        log(`cost baseline recorded in bench/cost-baseline.json`);
      }
    } finally {
      await stack.stop();
    }
  }

  results.checks = checks;
  results.finishedAt = new Date().toISOString();
  const dir = path.resolve(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const stamp = startedAt.replace(/[:.]/g, '-');
  const title = `datacosmos-purchase benchmarks ${startedAt}${options.quick ? ' (quick)' : ''}`;
  const summary = markdownSummary(title, checks, [...details, ...costTable(costs)]);
  fs.writeFileSync(path.join(dir, `${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, `${stamp}.md`), `${summary}\n![chart](${stamp}.svg)\n`);
  fs.writeFileSync(path.join(dir, `${stamp}.svg`), svgChart(title, checks));
  process.stdout.write(`${summary}\nresults: bench/results/${stamp}.{json,md,svg}\n`);
}

/** What a credits purchase costs on each engine (the throughput scenario at 0 ms latency), as one table. */
function costTable(costs: Array<[string, Findings]>): string[] {
  const measured = costs.filter(([, f]) => f.cost);
  if (!measured.length) return [];
  const named = new Set(measured.flatMap(([, f]) => Object.keys(f.cost?.cpuMsPerPurchase ?? {})));
  const first = ['Temporal server', 'PostgreSQL'].filter((p) => named.has(p));
  const processes = [...first, ...[...named].filter((p) => !first.includes(p) && p !== 'total'), 'total'];
  const rows = measured.map(([engine, f]) => {
    const cost = f.cost!;
    const rate = (f.results.throughput as { latency0ms: { orchestrator: { purchasesPerSecond: number } } }).latency0ms
      .orchestrator.purchasesPerSecond;
    const cpu = processes.map((p) => (cost.cpuMsPerPurchase[p] === undefined ? '-' : String(cost.cpuMsPerPurchase[p])));
    return `| ${engine} | ${rate} | ${cpu.join(' | ')} | ${cost.persistence.writesPerPurchase} (${cost.persistence.requestsPerPurchase}) |`;
  });
  return [
    'What a credits purchase costs (0 ms API latency, 50 at a time): CPU ms per purchase by process, and the Temporal',
    "server's persistence writes per purchase (all persistence requests in brackets), from its own metrics.",
    '',
    `| engine | purchases/s | ${processes.map((p) => `CPU ms: ${p}`).join(' | ')} | persistence writes (requests) |`,
    `| --- | --- | ${processes.map(() => '---').join(' | ')} | --- |`,
    ...rows,
    '',
  ];
}

/** An option's parser whose refusal commander prints as one line. */
function argument<T>(parse: (text: string) => T): (text: string) => T {
  return (text) => {
    try {
      return parse(text);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  };
}

const program = new Command('bench')
  .option('--quick', 'smaller numbers, for a quick look', false)
  .option('--record-baseline', "keep this run's purchase costs as the baseline (bench/cost-baseline.json)", false)
  .option(
    '--only <scenarios>',
    `comma-separated: ${SCENARIOS.join(', ')}`,
    argument((text) =>
      text.split(',').map((s) => {
        if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`unknown scenario "${s}"`);
        return s as Scenario;
      }),
    ),
  )
  .option(
    '--engine <engine>',
    `the Temporal to run on: ${ENGINES.join(', ')} or both (default scenarios then: ${BOTH_ENGINES_DEFAULT.join(', ')})`,
    argument((text) => {
      if (![...ENGINES, 'both'].includes(text)) throw new Error(`unknown engine "${text}"`);
      return text as EngineName | 'both';
    }),
    'dev',
  )
  .option(
    '--batch <settings>',
    'the batch scenario runs only these, comma-separated ITEMS/PER_ORDER/AT_A_TIME/LATENCY_MS (say 10000/20/10/100)',
    argument((text) => text.split(',').map(parseBatchSetting)),
  )
  .parse();

Runtime.install({ logger: new DefaultLogger('ERROR') });
main(program.opts<Options>()).then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
