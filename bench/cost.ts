/**
 * What a purchase costs the machine: CPU milliseconds per process (utime + stime from /proc/<pid>/stat, before
 * and after a run, children included), and from the Temporal server's own Prometheus counters: its persistence
 * requests (`persistence_requests{operation}`), its visibility store requests
 * (`visibility_persistence_requests{operation}`), and the tasks workers completed through its frontend
 * (`service_requests{operation}` of the default namespace: RespondWorkflowTaskCompleted, RespondActivityTask*).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { round } from '../harness/stats';

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Reads of the store; every other persistence operation changes something (creates, updates, appends, deletes). */
const READ_OPERATION = /^(Get|List|Read|Count|Scan|Assert)/;

export interface RunCost {
  purchases: number;
  /** CPU ms per purchase, by process (tree). */
  cpuMsPerPurchase: Record<string, number>;
  /** Persistence requests per purchase: writes, all, and the writes by operation. */
  persistence: { writesPerPurchase: number; requestsPerPurchase: number; writesByOperation: Record<string, number> };
  /** Visibility store writes per purchase (the search attributes' records), and by operation. */
  visibility: { writesPerPurchase: number; writesByOperation: Record<string, number> };
  /** Tasks workers completed per purchase, every workflow counted (the purchase's and its claim registries'). */
  tasks: { workflowTasksPerPurchase: number; activityTasksPerPurchase: number };
}

/** Counts at one moment (or between two): CPU ms by process, and the server's counters by operation. */
interface Counts {
  cpuMs: Map<string, number>;
  persistence: Map<string, number>;
  visibility: Map<string, number>;
  frontend: Map<string, number>;
}

type ServerCounters = Omit<Counts, 'cpuMs'>;

interface Sample extends Counts {
  at: number;
}

/** Worker replies that close a task: one per workflow task, and one per activity task. */
const WORKFLOW_TASK_DONE = ['RespondWorkflowTaskCompleted', 'RespondWorkflowTaskFailed'];
const ACTIVITY_TASK_DONE = [
  'RespondActivityTaskCompleted',
  'RespondActivityTaskFailed',
  'RespondActivityTaskCanceled',
  'RespondActivityTaskCompletedById',
  'RespondActivityTaskFailedById',
];

export interface CostProbe {
  /** Process trees by name: a root pid each. */
  processes(): Promise<Record<string, number>>;
  metricsUrl: string;
}

export interface MeasureOptions {
  /**
   * Watches the processes at rest this long first, and takes their CPU at rest (pollers, the server's own upkeep)
   * out of the run's CPU: for runs too slow for it to vanish in the sum (one purchase at a time). The server's
   * counters stay as counted: what they count at rest is upkeep the run may not have had, or the tail of the work
   * before, and taking it out would count less than the run did.
   */
  restMs?: number;
}

/** Runs `work` (which makes `purchases` purchases) and returns what it cost per purchase. */
export async function measureCost<T>(
  probe: CostProbe,
  purchases: number,
  work: () => Promise<T>,
  options: MeasureOptions = {},
): Promise<{ result: T; cost: RunCost }> {
  const rest = options.restMs ? await restingSpend(probe, options.restMs) : null;
  const before = await settledSample(probe);
  const result = await work();
  const after = await settledSample(probe);
  const spent = between(before, after);
  if (rest) takeOutCpu(spent, rest.counts, (after.at - before.at) / rest.ms);
  const perPurchase = (n: number, digits = 1) => round(n / purchases, digits);
  const cpuMsPerPurchase = Object.fromEntries([...spent.cpuMs].map(([name, ms]) => [name, perPurchase(ms)]));
  cpuMsPerPurchase.total = perPurchase(total(spent.cpuMs));
  const byOperation = (counts: Map<string, number>) =>
    Object.fromEntries([...counts].map(([operation, n]) => [operation, perPurchase(n, 2)]));
  return {
    result,
    cost: {
      purchases,
      cpuMsPerPurchase,
      persistence: {
        writesPerPurchase: perPurchase(total(writes(spent.persistence))),
        requestsPerPurchase: perPurchase(total(spent.persistence)),
        writesByOperation: byOperation(writes(spent.persistence)),
      },
      visibility: {
        writesPerPurchase: perPurchase(total(writes(spent.visibility))),
        writesByOperation: byOperation(writes(spent.visibility)),
      },
      tasks: {
        workflowTasksPerPurchase: perPurchase(total(spent.frontend, WORKFLOW_TASK_DONE)),
        activityTasksPerPurchase: perPurchase(total(spent.frontend, ACTIVITY_TASK_DONE)),
      },
    },
  };
}

function total(counts: Map<string, number>, only?: string[]): number {
  return [...counts].filter(([key]) => !only || only.includes(key)).reduce((sum, [, n]) => sum + n, 0);
}

function writes(counts: Map<string, number>): Map<string, number> {
  return new Map(
    [...counts].filter(([operation, n]) => !READ_OPERATION.test(operation) && n > 0).sort((a, b) => b[1] - a[1]),
  );
}

const KINDS = ['cpuMs', 'persistence', 'visibility', 'frontend'] as const;

function between(before: Counts, after: Counts): Counts {
  const delta = (a: Map<string, number>, b: Map<string, number>) =>
    new Map([...b].map(([key, n]) => [key, n - (a.get(key) ?? 0)]));
  return Object.fromEntries(KINDS.map((kind) => [kind, delta(before[kind], after[kind])])) as unknown as Counts;
}

/** Subtracts `times` the resting CPU, never below zero. */
function takeOutCpu(spent: Counts, rest: Counts, times: number): void {
  for (const [name, ms] of spent.cpuMs) spent.cpuMs.set(name, Math.max(0, ms - times * (rest.cpuMs.get(name) ?? 0)));
}

/** What the processes spend at rest over `ms`. */
async function restingSpend(probe: CostProbe, ms: number): Promise<{ ms: number; counts: Counts }> {
  const first = await settledSample(probe);
  await sleep(ms);
  const last = await sample(probe);
  return { ms: last.at - first.at, counts: between(first, last) };
}

/**
 * A sample once the server has finished the work before it: its queues (visibility records, transfers) run after a
 * workflow ends, so a sample at once would count the previous run's tail in the next one.
 */
async function settledSample(probe: CostProbe): Promise<Sample> {
  let last = await sample(probe);
  for (let i = 0; i < 20; i += 1) {
    await sleep(300);
    const next = await sample(probe);
    if (total(executionWrites(next)) === total(executionWrites(last))) return next;
    last = next;
  }
  return last;
}

/** The writes only workflows make (background upkeep such as shard and queue leases left out). */
function executionWrites(counts: Counts): Map<string, number> {
  const ofExecutions = /WorkflowExecution|Tasks$/;
  return new Map([
    ...[...counts.persistence].filter(([operation]) => ofExecutions.test(operation)),
    ...[...counts.visibility].map(([operation, n]): [string, number] => [`visibility ${operation}`, n]),
  ]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sample(probe: CostProbe): Promise<Sample> {
  const at = performance.now();
  const cpuMs = new Map<string, number>();
  for (const [name, pid] of Object.entries(await probe.processes())) cpuMs.set(name, treeCpuMs(pid));
  return { at, cpuMs, ...(await serverCounters(probe.metricsUrl)) };
}

/**
 * The server's counters so far, by operation: persistence requests (summed over services and namespaces),
 * visibility requests, and the frontend's requests of the default namespace (workers' and clients' calls).
 */
async function serverCounters(metricsUrl: string): Promise<ServerCounters> {
  const text = await (await fetch(metricsUrl)).text();
  return {
    persistence: counter(text, 'persistence_requests'),
    visibility: counter(text, 'visibility_persistence_requests'),
    frontend: counter(
      text,
      'service_requests',
      (labels) => labels.includes('namespace="default"') && labels.includes('service_name="frontend"'),
    ),
  };
}

function counter(text: string, name: string, keep: (labels: string) => boolean = () => true): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of text.matchAll(new RegExp(`^${name}(?:_total)?\\{([^}]*)\\} (\\S+)$`, 'gm'))) {
    const operation = /operation="([^"]+)"/.exec(match[1])?.[1];
    if (operation && keep(match[1])) counts.set(operation, (counts.get(operation) ?? 0) + Number(match[2]));
  }
  return counts;
}

/**
 * CPU ms of a process and its children: the process's own time and that of its children that ended (cutime,
 * cstime), plus the live children's own time; a child that ends between two samples moves from one to the other.
 */
export function treeCpuMs(rootPid: number): number {
  const [, , ...root] = stat(rootPid);
  let ticks = sum(root, 11, 15); // utime, stime, cutime, cstime (fields 14-17)
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === rootPid) continue;
    const fields = stat(Number(entry));
    if (fields.length && Number(fields[3]) === rootPid) ticks += sum(fields.slice(2), 11, 13);
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** /proc/<pid>/stat split into fields (the command name, which may hold spaces, as one); [] once it is gone. */
function stat(pid: number): string[] {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    return [
      text.slice(0, text.indexOf(' ')),
      text.slice(text.indexOf('(') + 1, close),
      ...text.slice(close + 2).split(' '),
    ];
  } catch {
    return [];
  }
}

function sum(fields: string[], from: number, to: number): number {
  return fields.slice(from, to).reduce((total, field) => total + Number(field), 0);
}
