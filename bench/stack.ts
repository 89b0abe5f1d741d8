/**
 * The stack a benchmark runs on: its own Temporal (a fresh dev server or production stack, see engine.ts) and
 * its own simulator process, so nothing else on the machine shares them; workers are added per scenario.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { settingsEnvironment, type Settings } from '../src/config/settings';
import { simulatorSettings } from '../harness/simulator-settings';
import { startSimulatorProcess, type SimulatorProcess } from '../local/simulator-process';
import { createPurchaseWorker } from '../src/runtime/purchase-worker';
import { ACME, SimAdmin } from '../harness/simulator';
import type { CostProbe } from './cost';
import { startEngine, type BenchEngine, type EngineName } from './engine';

export const ACCOUNT = { clientId: ACME.clientId, clientSecret: ACME.clientSecret, organisationId: ACME.organisation };

export class BenchStack {
  private constructor(
    readonly dir: string,
    readonly engine: BenchEngine,
    readonly sim: SimulatorProcess,
    readonly admin: SimAdmin,
    readonly client: Client,
  ) {}

  /** `catalogItems`: the simulator's catalog holds at least this many items (80,000 at least). */
  static async start(engineName: EngineName, log: (line: string) => void, catalogItems = 0): Promise<BenchStack> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-bench-'));
    fs.chmodSync(dir, 0o711); // PostgreSQL, run as its own user when we are root, must reach its cluster inside
    const engine = await startEngine(engineName, dir, log).catch((err: unknown) => {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    });
    const sim = await startSimulatorProcess({
      port: 0,
      dataDir: path.join(dir, 'simulator'),
      logFile: path.join(dir, 'simulator.log'),
      extraArgs: ['--items', String(Math.max(80_000, catalogItems))],
    });
    const client = new Client({ connection: await Connection.connect({ address: engine.address }) });
    return new BenchStack(dir, engine, sim, new SimAdmin(sim.url), client);
  }

  settings(
    taskQueue: string,
    extra: { maxRequestsPerSecond?: number; fleetMaxRequestsPerSecond?: number; maxConcurrentActivities?: number } = {},
  ): Settings {
    return simulatorSettings({
      simulatorUrl: this.sim.url,
      temporalAddress: this.engine.address,
      taskQueue,
      account: ACCOUNT,
      requestTimeoutMs: 10_000,
      maxRequestsPerSecond: extra.maxRequestsPerSecond,
      fleetMaxRequestsPerSecond: extra.fleetMaxRequestsPerSecond,
      worker: { maxConcurrentActivities: extra.maxConcurrentActivities ?? 100, maxActivitiesPerSecond: 100_000 },
    });
  }

  /** The workflows' queue that workers of `settings(base)` poll: the base name and this simulator's target. */
  queue(base: string): string {
    return this.settings(base).temporal.taskQueue;
  }

  /** A worker in this process; stop it with the returned function. */
  async worker(settings: Settings): Promise<() => Promise<void>> {
    const connection = await NativeConnection.connect({ address: this.engine.address });
    const worker = await createPurchaseWorker({ connection, settings });
    const running = worker.run();
    return async () => {
      worker.shutdown();
      await running;
      await connection.close();
    };
  }

  /** What a purchase costs: the engine's processes, the simulator and these workers, and the server's metrics. */
  costProbe(workers: ChildProcess[]): CostProbe {
    return {
      metricsUrl: this.engine.metricsUrl,
      processes: async () => ({
        ...(await this.engine.processes()),
        ...Object.fromEntries(
          workers.map((w, i) => [workers.length > 1 ? `worker ${i + 1}` : 'worker', w.pid as number]),
        ),
        simulator: this.sim.child.pid as number,
      }),
    };
  }

  /** A worker as its own process (to measure its memory or CPU alone). */
  workerProcess(settings: Settings): ChildProcess {
    return spawn(process.execPath, [path.resolve(__dirname, '../dist/src/worker.js')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { PATH: process.env.PATH, ...settingsEnvironment(settings), LOG_LEVEL: 'error' },
    });
  }

  /** SIGTERM to a worker process; resolves once it has drained and exited. */
  async stopWorkerProcess(worker: ChildProcess): Promise<void> {
    if (worker.exitCode !== null || worker.signalCode !== null) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }

  async stop(): Promise<void> {
    await this.client.connection.close();
    await this.sim.stop();
    await this.engine.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
