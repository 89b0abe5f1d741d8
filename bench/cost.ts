/**
 * What a purchase costs the machine: CPU milliseconds per process (utime + stime from /proc/<pid>/stat, before
 * and after a run, children included), and the Temporal server's persistence requests, from its own Prometheus
 * counter `persistence_requests{operation=...}`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { round } from './stats';

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** Reads of the store; every other persistence operation changes something (creates, updates, appends, deletes). */
const READ_OPERATION = /^(Get|List|Read|Count|Scan|Assert)/;

export interface RunCost {
  purchases: number;
  /** CPU ms per purchase, by process (tree). */
  cpuMsPerPurchase: Record<string, number>;
  /** Persistence requests per purchase: writes, all, and the writes by operation. */
  persistence: { writesPerPurchase: number; requestsPerPurchase: number; writesByOperation: Record<string, number> };
}

interface Sample {
  cpuMs: Record<string, number>;
  persistence: Map<string, number>;
}

export interface CostProbe {
  /** Process trees by name: a root pid each. */
  processes(): Promise<Record<string, number>>;
  metricsUrl: string;
}

/** Runs `work` (which makes `purchases` purchases) and returns what it cost per purchase. */
export async function measureCost<T>(
  probe: CostProbe,
  purchases: number,
  work: () => Promise<T>,
): Promise<{ result: T; cost: RunCost }> {
  const before = await sample(probe);
  const result = await work();
  const after = await sample(probe);
  const cpuMsPerPurchase: Record<string, number> = {};
  for (const [name, ms] of Object.entries(after.cpuMs)) {
    cpuMsPerPurchase[name] = round((ms - (before.cpuMs[name] ?? 0)) / purchases, 1);
  }
  cpuMsPerPurchase.total = round(
    Object.values(cpuMsPerPurchase).reduce((sum, ms) => sum + ms, 0),
    1,
  );
  const delta = new Map<string, number>();
  for (const [operation, count] of after.persistence)
    delta.set(operation, count - (before.persistence.get(operation) ?? 0));
  const writes = [...delta].filter(([operation, n]) => !READ_OPERATION.test(operation) && n > 0);
  const total = [...delta.values()].reduce((sum, n) => sum + n, 0);
  return {
    result,
    cost: {
      purchases,
      cpuMsPerPurchase,
      persistence: {
        writesPerPurchase: round(writes.reduce((sum, [, n]) => sum + n, 0) / purchases, 1),
        requestsPerPurchase: round(total / purchases, 1),
        writesByOperation: Object.fromEntries(
          writes.sort((a, b) => b[1] - a[1]).map(([operation, n]) => [operation, round(n / purchases, 2)]),
        ),
      },
    },
  };
}

async function sample(probe: CostProbe): Promise<Sample> {
  const cpuMs: Record<string, number> = {};
  for (const [name, pid] of Object.entries(await probe.processes())) cpuMs[name] = treeCpuMs(pid);
  return { cpuMs, persistence: await persistenceRequests(probe.metricsUrl) };
}

/** The server's persistence requests so far, by operation (summed over services and namespaces). */
export async function persistenceRequests(metricsUrl: string): Promise<Map<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^persistence_requests(?:_total)?\{([^}]*)\} (\S+)$/gm)) {
    const operation = /operation="([^"]+)"/.exec(match[1])?.[1];
    if (operation) counts.set(operation, (counts.get(operation) ?? 0) + Number(match[2]));
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
