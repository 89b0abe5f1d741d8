/**
 * The chaos run: purchases through faults (5xx, 429, lost replies, latency jitter), a worker killed with
 * SIGKILL at random moments and restarted, and the Temporal server restarted once on its database file.
 * It then checks what the project promises: every purchase reaches its expected end, one order per
 * purchase, credits exact to the cent, nothing left running.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { settingsEnvironment } from '../src/config/settings';
import { simulatorSettings } from './simulator-settings';
import { resolveTemporalCli } from '../local/temporal-cli';
import { startTemporalDevServer, type TemporalDevServer } from '../local/temporal-server';
import { startPurchase } from '../src/workflow-client/purchase-client';
import { add, subtract } from '../src/shared/money';
import type { PurchaseEnd, PurchaseInput, PurchaseResult } from '../src/shared/purchase-types';
import { ACME, startInProcess, type InProcessSimulator } from './simulator';
import { patiently } from './until';
import { spawn } from 'node:child_process';

export interface ChaosOptions {
  purchases: number;
  workerKills: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  purchases: number;
  ends: Record<string, number>;
  unexpectedEnds: string[];
  orders: number;
  duplicateOrders: number;
  creditsExpected: string;
  creditsActual: string;
  stillRunning: number;
  workerKills: number;
  temporalRestarts: number;
  faultsInjected: Record<string, number>;
  seconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-chaos-'));
  const dbFile = path.join(dir, 'temporal.db');
  const cliPath = process.env.TEMPORAL_TEST_CLI_PATH || (await resolveTemporalCli({ log }));
  let temporal: TemporalDevServer = await startTemporalDevServer({
    cliPath,
    headless: true,
    dbFilename: dbFile,
    logFile: `${dbFile}.log`,
  });
  const sim: InProcessSimulator = await startInProcess({ items: Math.max(5000, options.purchases * 2) });
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const taskQueue = `chaos-${randomUUID()}`;
  const settings = simulatorSettings({
    simulatorUrl: sim.url,
    temporalAddress: temporal.address,
    taskQueue,
    account: { clientId: ACME.clientId, clientSecret: ACME.clientSecret, organisationId: ACME.organisation },
  });
  const spawnWorker = (): ChildProcess =>
    spawn(process.execPath, [path.resolve(__dirname, '../dist/src/worker.js')], {
      stdio: 'ignore',
      env: { PATH: process.env.PATH, ...settingsEnvironment(settings), LOG_LEVEL: 'error' },
    });
  let worker = spawnWorker();
  let workerKills = 0;
  try {
    const startCredits = '100000000';
    await sim.admin.setCredits(ACME.organisation, startCredits);
    const items = await catalogItems(sim, options.purchases);
    await sim.admin.setFaults({
      seed: 99,
      endpoints: {
        '*': { latencyMs: 5, jitterMs: 20, error5xx: 0.1, rateLimit429: 0.05, retryAfterS: 1, lostReply: 0.02 },
      },
    });

    // One purchase in ten is over its budget and must end REJECTED without an order.
    const inputs: PurchaseInput[] = items.map((item, i) => ({
      purchaseId: `chaos-${taskQueue}-${i}`,
      items: [item],
      activityTimeoutMs: 5_000,
      ...(i % 10 === 9 ? { budget: { maxTotal: '0.01', approval: 'reject' as const } } : {}),
    }));
    const expected = (i: number): PurchaseEnd => (i % 10 === 9 ? 'REJECTED' : 'COMPLETED');

    log(`starting ${inputs.length} purchases`);
    const results: Promise<PurchaseResult>[] = inputs.map(async (input) => {
      const { handle } = await patiently(() =>
        startPurchase(client, { taskQueue: settings.temporal.taskQueue, organisationId: ACME.organisation }, input),
      );
      return patiently(() => handle.result());
    });

    const chaos = (async () => {
      const killAt = Array.from({ length: options.workerKills }, () => 1_000 + Math.random() * 8_000).sort(
        (a, b) => a - b,
      );
      let waited = 0;
      for (const [k, at] of killAt.entries()) {
        await sleep(at - waited);
        waited = at;
        worker.kill('SIGKILL');
        workerKills += 1;
        log(`worker killed (${workerKills})`);
        await sleep(300);
        worker = spawnWorker();
        if (k === Math.floor(killAt.length / 2)) {
          log('restarting Temporal on its database file');
          temporal.kill();
          await temporal.exited;
          temporal = await startTemporalDevServer({
            cliPath,
            port: temporal.port,
            headless: true,
            dbFilename: dbFile,
            logFile: `${dbFile}.log`,
          });
        }
      }
    })();

    const [ends] = await Promise.all([Promise.all(results), chaos]);
    await sim.admin.setFaults({});

    const audit = (await sim.admin.orders(ACME.organisation)).filter((o) =>
      items.some((it) => it.item === o.items[0]?.item),
    );
    const ordersByItem = new Map<string, number>();
    for (const order of audit)
      for (const line of order.items) ordersByItem.set(line.item, (ordersByItem.get(line.item) ?? 0) + 1);
    const paidTotals = audit.filter((o) => o.status === 'PAID').map((o) => o.total as string);
    const stillRunning = (
      await patiently(() =>
        client.workflow.count(
          `TaskQueue = "${settings.temporal.taskQueue}" AND WorkflowType = "purchaseWorkflow" AND ExecutionStatus = "Running"`,
        ),
      )
    ).count;
    const stats = await sim.admin.stats();
    const faultsInjected: Record<string, number> = {};
    for (const endpoint of Object.values(stats.endpoints)) {
      for (const [status, count] of Object.entries(endpoint.statuses)) {
        if (['503', '429', 'lost', 'reset'].includes(status))
          faultsInjected[status] = (faultsInjected[status] ?? 0) + count;
      }
    }
    const tally: Record<string, number> = {};
    for (const r of ends) tally[r.end] = (tally[r.end] ?? 0) + 1;
    return {
      purchases: ends.length,
      ends: tally,
      unexpectedEnds: ends
        .map((r, i) => (r.end === expected(i) ? null : `${r.purchaseId}: ${r.end} (${r.reason})`))
        .filter((x): x is string => x !== null),
      orders: audit.length,
      duplicateOrders: [...ordersByItem.values()].filter((n) => n > 1).length,
      creditsExpected: paidTotals.length ? subtract(startCredits, add(...paidTotals)) : startCredits,
      creditsActual: await sim.admin.credits(ACME.organisation),
      stillRunning,
      workerKills,
      temporalRestarts: options.workerKills > 0 ? 1 : 0,
      faultsInjected,
      seconds: Math.round((performance.now() - started) / 1000),
    };
  } finally {
    worker.kill('SIGKILL');
    await connection.close();
    await sim.close();
    await temporal.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function catalogItems(
  sim: InProcessSimulator,
  count: number,
): Promise<Array<{ collection: string; item: string; level: string }>> {
  const { DataCosmosClient } = await import('../src/datacosmos');
  const api = new DataCosmosClient({
    apiUrl: sim.url,
    authUrl: sim.url,
    clientId: ACME.clientId,
    clientSecret: ACME.clientSecret,
  });
  const items: Array<{ collection: string; item: string; level: string }> = [];
  for await (const page of api.searchAll({ limit: 500 }, { maxItems: count })) {
    for (const item of page)
      items.push({ collection: item.collection, item: item.id, level: item.properties['processing:level'] as string });
  }
  await api.close();
  return items;
}

/** The promises, as one list of broken ones (empty: all kept). */
export function brokenPromises(report: ChaosReport): string[] {
  const broken: string[] = [];
  if (report.unexpectedEnds.length)
    broken.push(
      `${report.unexpectedEnds.length} purchases ended unexpectedly: ${report.unexpectedEnds.slice(0, 3).join('; ')}`,
    );
  if (report.duplicateOrders) broken.push(`${report.duplicateOrders} items were ordered more than once`);
  if (report.orders !== (report.ends.COMPLETED ?? 0))
    broken.push(`${report.orders} orders for ${report.ends.COMPLETED ?? 0} completed purchases`);
  if (report.creditsActual !== report.creditsExpected)
    broken.push(`credits ${report.creditsActual}, expected ${report.creditsExpected}`);
  if (report.stillRunning) broken.push(`${report.stillRunning} purchases still running`);
  return broken;
}

export function summaryLine(report: ChaosReport): string {
  const ends = Object.entries(report.ends)
    .map(([end, n]) => `${n} ${end}`)
    .join(', ');
  const faults = Object.entries(report.faultsInjected)
    .map(([k, n]) => `${n}x${k}`)
    .join(' ');
  return (
    `chaos: ${report.purchases} purchases (${ends}), ${report.orders} orders, ${report.duplicateOrders} duplicates, ` +
    `credits ${report.creditsActual === report.creditsExpected ? 'exact' : 'WRONG'}, ${report.stillRunning} still running; ` +
    `${report.workerKills} worker kills, ${report.temporalRestarts} Temporal restart, faults ${faults}; ${report.seconds}s`
  );
}
