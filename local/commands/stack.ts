/**
 * `dcp stack production`: docker-compose.yml's stack natively, in the foreground, until Ctrl-C; `dcp stack prepare`:
 * only what it needs installed.
 */
import path from 'node:path';
import { dataDir as defaultDataDir } from '../../src/config/settings';
import { stackFilePath } from '../../src/config/stack-file';
import { startProductionStack, type ProductionStack } from '../production-stack/production-stack';
import { resolveStackPrograms } from '../production-stack/temporal-on-postgres';
import { resolveTemporalServerPrograms } from '../temporal-server-programs';
import { TEMPORAL_SERVER_RELEASES } from '../temporal-server-releases';
import { runInForeground } from './foreground';

export interface StackOptions {
  dataDir?: string;
  port?: number;
  postgresPort?: number;
  metricsPort?: number;
  shards?: number;
  workers: number;
  simPort: number;
  webhookPort: number;
}

export interface PrepareOptions {
  earlierReleases: boolean;
}

export async function prepareProductionStack(opts: PrepareOptions): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const programs = await resolveStackPrograms(log);
  const lines = [
    `PostgreSQL:        ${programs.postgresBinDir}`,
    `Temporal server:   ${programs.server}`,
    `temporal-sql-tool: ${programs.sqlTool}`,
    `Temporal CLI:      ${programs.cli}`,
  ];
  if (opts.earlierReleases)
    for (const release of TEMPORAL_SERVER_RELEASES.slice(0, -1)) {
      const earlier = await resolveTemporalServerPrograms({ log }, release);
      lines.push(`Temporal server ${release} (upgrades): ${earlier.server}, ${earlier.sqlTool}`);
    }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export async function runProductionStack(opts: StackOptions): Promise<void> {
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : defaultDataDir();
  const start = () => startProductionStack({ ...opts, dataDir });
  await runInForeground(start, (running) => printStack(running, dataDir), 'production stack stopped');
}

function printStack(running: ProductionStack, dataDir: string): void {
  const { stack, temporal } = running;
  const workers = running.workerMetricsUrls.length;
  const logs = [
    'temporal-server',
    'setup',
    'simulator',
    'webhook',
    ...running.workerMetricsUrls.map((_, i) => `worker-${i + 1}`),
  ];
  const lines = [
    `production stack running (data dir ${dataDir})`,
    `  Temporal:   ${temporal.address} (namespace ${temporal.namespace}, ${temporal.state.shards} history shards, ` +
      `persistence and visibility on PostgreSQL)`,
    `  PostgreSQL: 127.0.0.1:${temporal.state.postgres.port} (cluster in ${temporal.postgres.dataDir})`,
    `  Metrics:    ${[temporal.metricsUrl, ...running.workerMetricsUrls].join(', ')} (server, then each worker)`,
    `  Simulator:  ${stack.simulator.url} (organisation ${stack.datacosmos.organisationId}, client ${stack.datacosmos.clientId})`,
    `  Webhook:    ${running.webhookUrl} (the simulator's checkout page posts signed payment events here)`,
    `  Workers:    ${workers} sharing a fleet budget of DataCosmos requests`,
    `  Stack file: ${stackFilePath(dataDir)} (dcp commands use it with DCP_DATA_DIR=${dataDir})`,
    `  Logs:       ${logs.map((name) => path.join(dataDir, `${name}.log`)).join(', ')}, ${temporal.postgres.logFile}`,
    'press Ctrl-C to stop (started again on this data dir, it finds every workflow where it was)',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
