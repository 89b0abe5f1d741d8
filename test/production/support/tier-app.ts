/**
 * The application side of the production tier, as docker-compose.yml runs it beside Temporal: the simulator
 * (DataCosmos and the payment provider, posting signed events to the webhook), the webhook listener
 * (`dcp webhook`) and worker processes sharing the fleet's API budget, each serving its metrics. All of them are
 * the built programs, configured through the environment.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { settingsEnvironment, type Settings } from '../../../src/config/settings';
import { simulatorSettings } from '../../../harness/simulator-settings';
import type { LoggedChild } from '../../../local/child-process';
import type { ListeningProcess } from '../../../local/listening-process';
import { freePort } from '../../../local/ports';
import { startSimulatorProcess } from '../../../local/simulator-process';
import { startWebhookProcess } from '../../../local/webhook-process';
import { startWorkerProcess } from '../../../local/worker-process';
import { ACME, SimAdmin } from '../../../harness/simulator';

/** The base name of the tier's queues; the workers poll the tier simulator's target queues under it. */
const QUEUE_BASE = 'production-tier';
/** The fleet's DataCosmos budget, shared by every worker, under the simulator's limit per API client. */
export const FLEET_MAX_REQUESTS_PER_SECOND = 80;
const SIMULATOR_RATE_LIMIT = 100;

interface Worker {
  process: LoggedChild;
  metricsUrl: string;
  logFile: string;
}

export class TierApp {
  readonly admin: SimAdmin;
  private workers: Worker[] = [];

  private constructor(
    readonly dir: string,
    readonly client: Client,
    readonly settings: Settings,
    readonly simulator: ListeningProcess,
    readonly webhook: ListeningProcess,
    readonly webhookLog: string,
  ) {
    this.admin = new SimAdmin(simulator.url);
  }

  /** The workflows' queue of the tier's target. */
  get taskQueue(): string {
    return this.settings.temporal.taskQueue;
  }

  static async start(temporalAddress: string, dir: string, workers: number): Promise<TierApp> {
    const simPort = await freePort();
    const settings = simulatorSettings({
      simulatorUrl: `http://127.0.0.1:${simPort}`,
      temporalAddress,
      taskQueue: QUEUE_BASE,
      account: { clientId: ACME.clientId, clientSecret: ACME.clientSecret, organisationId: ACME.organisation },
      requestTimeoutMs: 10_000,
      maxRequestsPerSecond: SIMULATOR_RATE_LIMIT / 2,
      fleetMaxRequestsPerSecond: FLEET_MAX_REQUESTS_PER_SECOND,
      worker: { maxConcurrentActivities: 100 },
    });
    const secret = `whsec_${randomBytes(18).toString('base64url')}`;
    const webhookLog = path.join(dir, 'webhook.log');
    const webhook = await startWebhookProcess(
      0,
      { ...settingsEnvironment(settings), DCP_WEBHOOK_SECRET: secret, LOG_LEVEL: 'info' },
      webhookLog,
    );
    const simulator = await startSimulatorProcess({
      port: simPort,
      dataDir: path.join(dir, 'simulator'),
      logFile: path.join(dir, 'simulator.log'),
      extraArgs: [
        ...['--items', '5000', '--webhook-url', webhook.url],
        ...['--rate-limit', String(SIMULATOR_RATE_LIMIT), '--rate-limit-scope', 'client'],
      ],
      env: { ...process.env, SIM_WEBHOOK_SECRET: secret },
    });
    const client = new Client({ connection: await Connection.connect({ address: temporalAddress }) });
    const app = new TierApp(dir, client, settings, simulator, webhook, webhookLog);
    for (let n = 0; n < workers; n++) app.workers.push(await app.spawnWorker(n));
    return app;
  }

  get workerMetricsUrls(): string[] {
    return this.workers.map((w) => w.metricsUrl);
  }

  /** SIGKILL worker `n`, as a machine failure would, and start it again. */
  async killAndRestartWorker(n: number): Promise<void> {
    const worker = this.workers[n];
    worker.process.kill();
    await worker.process.exited.catch(() => undefined);
    this.workers[n] = await this.spawnWorker(n);
  }

  async stop(): Promise<void> {
    for (const worker of this.workers) await worker.process.stop();
    await this.client.connection.close();
    await this.webhook.stop();
    await this.simulator.stop();
  }

  private async spawnWorker(n: number): Promise<Worker> {
    const metricsPort = await freePort();
    const logFile = path.join(this.dir, `worker-${n + 1}.log`);
    const env = { ...settingsEnvironment(this.settings), METRICS_PORT: String(metricsPort), LOG_LEVEL: 'warn' };
    return {
      process: startWorkerProcess(env, logFile),
      metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      logFile,
    };
  }
}
