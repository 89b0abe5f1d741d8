/**
 * The cost scenario's report: what a purchase costs now beside the recorded baseline (bench/cost-baseline.json, the
 * figures of the commit before the purchase was made cheaper), and the targets of making it cheaper.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { KindCost, ModeCost } from './purchase-cost';
import type { Check } from './report';
import { round } from '../harness/stats';

export const BASELINE_PATH = path.resolve(__dirname, 'cost-baseline.json');

export interface CostBaseline {
  measuredAt: string;
  commit: string;
  engine: string;
  command: string;
  modes: ModeCost[];
}

export function readBaseline(engine: string): CostBaseline | null {
  if (!fs.existsSync(BASELINE_PATH)) return null;
  const all = JSON.parse(fs.readFileSync(BASELINE_PATH, 'utf8')) as CostBaseline[];
  return all.find((b) => b.engine === engine) ?? null;
}

/** Keeps this run's figures as the baseline of its engine (the others stay). */
export function recordBaseline(engine: string, modes: ModeCost[], command: string): void {
  const all = fs.existsSync(BASELINE_PATH)
    ? (JSON.parse(fs.readFileSync(BASELINE_PATH, 'utf8')) as CostBaseline[]).filter((b) => b.engine !== engine)
    : [];
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  all.push({ measuredAt: new Date().toISOString(), commit, engine, command, modes });
  fs.writeFileSync(BASELINE_PATH, `${JSON.stringify(all, null, 2)}\n`);
}

const ROWS: Array<[string, (k: KindCost) => number]> = [
  ['workflow tasks (all workflows)', (k) => k.workflowTasks],
  ["workflow tasks (the purchase's own)", (k) => k.purchaseWorkflowTasks],
  ['activity tasks (server-dispatched)', (k) => k.activityTasks],
  ['local activities', (k) => k.localActivities],
  ['history events', (k) => k.historyEvents],
  ['persistence writes', (k) => k.persistenceWrites],
  ['persistence requests (all)', (k) => k.persistenceRequests],
  ['visibility writes', (k) => k.visibilityWrites],
  ['CPU ms: Temporal server', (k) => k.serverCpuMs],
  ['CPU ms: worker', (k) => k.workerCpuMs],
  ['CPU ms: server + worker', (k) => cpu(k)],
];

function cpu(k: KindCost): number {
  return round(k.serverCpuMs + k.workerCpuMs, 1);
}

const MODE_TEXT: Record<ModeCost['mode'], string> = {
  'no budget': 'no fleet budget',
  'fleet budget': 'a fleet budget',
  'spend limit': 'no fleet budget and a spend limit set',
};

/** One markdown table per mode: each measure per credits and per card purchase, the baseline's beside it. */
export function costTables(now: ModeCost[], baseline: CostBaseline | null): string[] {
  const lines: string[] = [];
  if (baseline) {
    lines.push(
      `Baseline: ${baseline.commit}, measured ${baseline.measuredAt.slice(0, 10)} with \`${baseline.command}\` (${baseline.engine}).`,
      '',
    );
  }
  for (const mode of now) {
    const before = baseline?.modes.find((m) => m.mode === mode.mode);
    const pair = (value: number, old: number | undefined) => (old === undefined ? `${value}` : `${old} → ${value}`);
    lines.push(
      `Per purchase, worker with ${MODE_TEXT[mode.mode]} (one at a time, 0 ms API latency; ${before ? 'baseline → now' : 'now'}):`,
      '',
      '| measure | credits purchase | card purchase |',
      '| --- | --- | --- |',
      ...ROWS.map(
        ([name, pick]) =>
          `| ${name} | ${pair(pick(mode.credits), before && pick(before.credits))} | ${pair(pick(mode.card), before && pick(before.card))} |`,
      ),
      ...mode.latency.map((l) => {
        const old = before?.latency.find((b) => b.concurrency === l.concurrency);
        return `| credits p50 at ${l.concurrency} at a time, 100 ms API latency: orchestrator / pool (ratio) | ${
          old ? `${old.orchestratorP50Ms} / ${old.poolP50Ms} ms (${old.ratio}) → ` : ''
        }${l.orchestratorP50Ms} / ${l.poolP50Ms} ms (${l.ratio}) | |`;
      }),
      '',
      `Writes by operation per credits purchase: ${operations(mode.credits.writesByOperation)}; visibility: ${operations(mode.credits.visibilityByOperation)}.`,
      '',
    );
  }
  return lines;
}

function operations(byOperation: Record<string, number>): string {
  const parts = Object.entries(byOperation)
    .filter(([, n]) => n >= 0.05)
    .map(([operation, n]) => `${operation} ${n}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** The targets of a cheaper purchase, for the default worker (no fleet budget). */
export function costChecks(now: ModeCost[], baseline: CostBaseline | null): Check[] {
  const mode = now.find((m) => m.mode === 'no budget');
  if (!mode) return [];
  const checks: Check[] = [
    {
      name: 'persistence writes per credits purchase',
      value: mode.credits.persistenceWrites,
      unit: 'writes',
      target: 6,
      kind: 'max',
    },
  ];
  const before = baseline?.modes.find((m) => m.mode === 'no budget');
  if (before) {
    checks.push({
      name: 'CPU ms (server + worker) per credits purchase',
      value: cpu(mode.credits),
      unit: 'ms',
      target: round(cpu(before.credits) / 2, 1),
      kind: 'max',
    });
  }
  for (const l of mode.latency) {
    checks.push({
      name: `latency vs pool, ${l.concurrency} at a time at 100 ms`,
      value: l.ratio,
      unit: '',
      target: 0.8,
      kind: 'min',
    });
  }
  return checks;
}
