/**
 * `dcp stack production`: docker-compose.yml's stack natively, in the foreground, until Ctrl-C; `dcp stack prepare`:
 * only what it needs installed.
 */
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { dataDir as defaultDataDir } from '../../src/config/settings';
import { stackFilePath } from '../../src/config/stack-file';
import {
  PRODUCTION_STACK_PORTS,
  startProductionStack,
  type ProductionStack,
} from '../production-stack/production-stack';
import { runInForeground } from './foreground';
import { DEFAULT_HISTORY_SHARDS, DEFAULT_PORTS, resolveStackPrograms } from '../production-stack/temporal-on-postgres';

interface StackOptions {
  dataDir?: string;
  port?: number;
  postgresPort?: number;
  metricsPort?: number;
  shards?: number;
  workers: number;
  simPort: number;
  webhookPort: number;
}

function portOrZero(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('must be a port number (0 = a free port)');
  return port;
}

function count(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max)
      throw new InvalidArgumentError(`must be a number from ${min} to ${max}`);
    return n;
  };
}

export function registerStackCommands(program: Command): void {
  const stack = program.command('stack').description('run a stack of the deployment topologies on this machine');
  stack
    .command('production')
    .description(
      'Run docker-compose.yml without Docker: PostgreSQL, Temporal on it (schema and namespace jobs from ' +
        'deploy/temporal/), the simulator, the webhook listener and the workers; state in the data dir',
    )
    .option('--data-dir <dir>', 'where the stack keeps its state (default: $DCP_DATA_DIR or .data)')
    .option('--port <port>', `Temporal gRPC port (default ${DEFAULT_PORTS.temporal}; fixed at first start)`, portOrZero)
    .option(
      '--postgres-port <port>',
      `PostgreSQL port (default ${DEFAULT_PORTS.postgres}; fixed at first start)`,
      portOrZero,
    )
    .option('--metrics-port <port>', `Temporal server metrics port (default ${DEFAULT_PORTS.metrics})`, portOrZero)
    .option('--shards <n>', `history shards (default ${DEFAULT_HISTORY_SHARDS}; fixed at first start)`, count(1, 1024))
    .option('--workers <n>', 'worker processes sharing the fleet budget', count(0, 16), 2)
    .option('--sim-port <port>', 'simulator port', portOrZero, PRODUCTION_STACK_PORTS.sim)
    .option('--webhook-port <port>', 'webhook listener port', portOrZero, PRODUCTION_STACK_PORTS.webhook)
    .action(runProductionStack);
  stack
    .command('prepare')
    .description(
      'Find, build or install what `stack production` runs (PostgreSQL, the Temporal server and schema tool, the ' +
        'Temporal CLI) without starting anything: minutes the first time on a machine, then nothing',
    )
    .action(async () => {
      const programs = await resolveStackPrograms((line) => process.stdout.write(`${line}\n`));
      const lines = [
        `PostgreSQL:        ${programs.postgresBinDir}`,
        `Temporal server:   ${programs.server}`,
        `temporal-sql-tool: ${programs.sqlTool}`,
        `Temporal CLI:      ${programs.cli}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

async function runProductionStack(opts: StackOptions): Promise<void> {
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
