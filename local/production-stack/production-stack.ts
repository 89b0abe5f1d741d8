/**
 * docker-compose.yml's topology without Docker (`dcp stack production`): Temporal on PostgreSQL, the DataCosmos
 * simulator, the payment webhook listener and N workers sharing the fleet's API budget, with the compose file's
 * default settings. Writes `<data dir>/stack.json`, so `dcp` commands with DCP_DATA_DIR=<data dir> use it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { LocalStack, writeStackFile } from '../../src/config/stack-file';
import { assertPortFree, freePort } from '../ports';
import { simulatorProgram, startSimulatorProcess } from '../simulator-process';
import { assertNoRunningStack, StackPart, stopParts, supervise, type SupervisedStack } from '../stack-parts';
import { dcpProgram, startWebhookProcess } from '../webhook-process';
import { startWorkerProcess, workerEnvironment, workerProgram } from '../worker-process';
import { TemporalOnPostgres, type TemporalOnPostgresOptions } from './temporal-on-postgres';

/** docker-compose.yml's defaults: Blue Fields pays by card (no credits), so purchases go through the webhook. */
const ACCOUNT = { clientId: 'bluefields', clientSecret: 'bluefields-secret-1002', organisationId: 1002 };
const SIMULATOR_RATE_LIMIT = 50;
const FLEET_MAX_REQUESTS_PER_SECOND = 40;

export interface ProductionStackOptions extends TemporalOnPostgresOptions {
  workers: number;
  /** 0 picks a free port. */
  simPort: number;
  webhookPort: number;
}

export interface ProductionStack extends SupervisedStack {
  stack: LocalStack;
  temporal: TemporalOnPostgres;
  webhookUrl: string;
  workerMetricsUrls: string[];
}

export async function startProductionStack(opts: ProductionStackOptions): Promise<ProductionStack> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = path.resolve(opts.dataDir);
  assertNoRunningStack(dataDir);
  simulatorProgram();
  workerProgram();
  dcpProgram();
  const simPort = opts.simPort || (await freePort());
  const webhookPort = opts.webhookPort || (await freePort());
  await assertPortFree(simPort, 'simulator');
  await assertPortFree(webhookPort, 'webhook listener');

  const temporal = await TemporalOnPostgres.start({ ...opts, dataDir, log });
  const parts: StackPart[] = [
    {
      name: 'Temporal server',
      logFile: temporal.serverLogFile,
      exited: temporal.serverExited,
      stop: () => temporal.stop(),
    },
  ];
  try {
    // A fresh secret at each start, known only to the simulator (the payment provider) and the listener.
    const secret = `whsec_${randomBytes(18).toString('base64url')}`;
    const webhookUrl = `http://127.0.0.1:${webhookPort}/webhooks/payment`;
    log(`starting the DataCosmos simulator on 127.0.0.1:${simPort}`);
    const simulatorLog = path.join(dataDir, 'simulator.log');
    fs.mkdirSync(path.join(dataDir, 'simulator'), { recursive: true });
    const simulator = await startSimulatorProcess({
      port: simPort,
      dataDir: path.join(dataDir, 'simulator'),
      logFile: simulatorLog,
      extraArgs: [
        '--webhook-url',
        webhookUrl,
        '--rate-limit',
        String(SIMULATOR_RATE_LIMIT),
        '--rate-limit-scope',
        'client',
      ],
      env: { ...process.env, SIM_WEBHOOK_SECRET: secret },
    });
    parts.push({ name: 'simulator', logFile: simulatorLog, ...simulator });

    const stack: LocalStack = {
      version: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      temporal: { address: temporal.address, namespace: temporal.namespace, uiUrl: '' },
      simulator: { url: simulator.url },
      datacosmos: { apiUrl: simulator.url, authUrl: simulator.url, ...ACCOUNT },
      worker: { running: opts.workers > 0 },
    };
    const environment = {
      ...workerEnvironment(stack),
      DATACOSMOS_FLEET_MAX_REQUESTS_PER_SECOND: String(FLEET_MAX_REQUESTS_PER_SECOND),
    };
    log(`starting the webhook listener on ${webhookUrl}`);
    const webhookLog = path.join(dataDir, 'webhook.log');
    const webhook = await startWebhookProcess(webhookPort, { ...environment, DCP_WEBHOOK_SECRET: secret }, webhookLog);
    parts.push({ name: 'webhook listener', logFile: webhookLog, ...webhook });

    const workerMetricsUrls: string[] = [];
    for (let n = 1; n <= opts.workers; n++) {
      const metricsPort = await freePort();
      const workerLog = path.join(dataDir, `worker-${n}.log`);
      log(`starting worker ${n} (metrics on 127.0.0.1:${metricsPort})`);
      const worker = startWorkerProcess({ ...environment, METRICS_PORT: String(metricsPort) }, workerLog);
      parts.push({ name: `worker ${n}`, logFile: workerLog, ...worker });
      workerMetricsUrls.push(`http://127.0.0.1:${metricsPort}/metrics`);
    }
    writeStackFile(dataDir, stack);
    return { stack, temporal, webhookUrl, workerMetricsUrls, ...supervise(parts, dataDir) };
  } catch (err) {
    await stopParts(parts);
    throw err;
  }
}
