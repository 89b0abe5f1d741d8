/**
 * The stack a benchmark runs on: its own Temporal dev server (fresh database) and its own simulator
 * process, so nothing else on the machine shares them; workers are added per scenario.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { settingsEnvironment, simulatorSettings, type Settings } from '../src/config/settings';
import { startSimulatorProcess, type SimulatorProcess } from '../local/simulator-process';
import { resolveTemporalCli } from '../local/temporal-cli';
import { startTemporalDevServer, type TemporalDevServer } from '../local/temporal-server';
import { createPurchaseWorker } from '../src/runtime/purchase-worker';
import { ACME, SimAdmin } from '../test/support/simulator';

export const ACCOUNT = { clientId: ACME.clientId, clientSecret: ACME.clientSecret, organisationId: ACME.organisation };

export class BenchStack {
  private constructor(
    readonly dir: string,
    readonly cliPath: string,
    readonly temporal: TemporalDevServer,
    readonly sim: SimulatorProcess,
    readonly admin: SimAdmin,
    readonly client: Client,
  ) {}

  static async start(log: (line: string) => void): Promise<BenchStack> {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-bench-'));
    const cliPath = await resolveTemporalCli({ log });
    const temporal = await startTemporalDevServer({
      cliPath,
      headless: true,
      dbFilename: path.join(dir, 'temporal.db'),
      logFile: path.join(dir, 'temporal.log'),
    });
    const sim = await startSimulatorProcess({
      port: 0,
      dataDir: path.join(dir, 'simulator'),
      logFile: path.join(dir, 'simulator.log'),
      extraArgs: ['--items', '20000'],
    });
    const client = new Client({ connection: await Connection.connect({ address: temporal.address }) });
    return new BenchStack(dir, cliPath, temporal, sim, new SimAdmin(sim.url), client);
  }

  settings(
    taskQueue: string,
    extra: { maxRequestsPerSecond?: number; fleetMaxRequestsPerSecond?: number; maxConcurrentActivities?: number } = {},
  ): Settings {
    return simulatorSettings({
      simulatorUrl: this.sim.url,
      temporalAddress: this.temporal.address,
      taskQueue,
      account: ACCOUNT,
      requestTimeoutMs: 10_000,
      maxRequestsPerSecond: extra.maxRequestsPerSecond,
      fleetMaxRequestsPerSecond: extra.fleetMaxRequestsPerSecond,
      worker: { maxConcurrentActivities: extra.maxConcurrentActivities ?? 100, maxActivitiesPerSecond: 100_000 },
    });
  }

  /** A worker in this process; stop it with the returned function. */
  async worker(settings: Settings): Promise<() => Promise<void>> {
    const connection = await NativeConnection.connect({ address: this.temporal.address });
    const worker = await createPurchaseWorker({ connection, settings });
    const running = worker.run();
    return async () => {
      worker.shutdown();
      await running;
      await connection.close();
    };
  }

  /** A worker as its own process (to measure its memory alone). */
  workerProcess(settings: Settings): ChildProcess {
    return spawn(process.execPath, [path.resolve(__dirname, '../dist/src/worker.js')], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { PATH: process.env.PATH, ...settingsEnvironment(settings), LOG_LEVEL: 'error' },
    });
  }

  async stop(): Promise<void> {
    await this.client.connection.close();
    await this.sim.stop();
    await this.temporal.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
