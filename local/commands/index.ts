/**
 * The development commands of `dcp` (demo, dev, sim, stack): they run the local stacks and ship with a clone of the
 * repository, not with the production image. src/starter.ts loads this module when it is present. Definitions
 * only: what a command does is loaded when it runs.
 */
import type { Command } from 'commander';
import { lazyAction } from '../../src/cli/commands/lazy-action';
import { filePath, integer, port } from '../../src/cli/options';
import { DEV_STACK_PORTS, PRODUCTION_HISTORY_SHARDS, PRODUCTION_STACK_PORTS } from '../ports';

export function registerLocalStackCommands(program: Command): void {
  program
    .command('demo')
    .description('start the local stack on a fresh data dir and run a credits, a card and an approved purchase')
    .option('--data-dir <dir>', 'data dir (default: a new temporary directory)', filePath)
    .option('--keep', 'leave the stack running afterwards (Ctrl-C stops it)', false)
    .option('--port <port>', 'Temporal port', port, DEV_STACK_PORTS.temporalPort)
    .option('--ui-port <port>', 'Temporal Web UI port', port, DEV_STACK_PORTS.uiPort)
    .option('--sim-port <port>', 'simulator port', port, DEV_STACK_PORTS.simPort)
    .action(lazyAction(async () => (await import('./demo')).runDemo));

  program
    .command('dev')
    .description('Run the local stack in the foreground: Temporal dev server + Web UI, DataCosmos simulator, worker')
    .option('--data-dir <dir>', 'where the stack keeps its state (default: $DCP_DATA_DIR or .data)', filePath)
    .option('--no-worker', 'do not start the worker (run your own)')
    .option('--port <port>', 'Temporal gRPC port', port, DEV_STACK_PORTS.temporalPort)
    .option('--ui-port <port>', 'Temporal Web UI port', port, DEV_STACK_PORTS.uiPort)
    .option('--sim-port <port>', 'simulator port', port, DEV_STACK_PORTS.simPort)
    .option('--s3', 'also a local S3-compatible server with a bucket, the worker delivering s3:// to it', false)
    .option('--s3-port <port>', 'with --s3: its port', port, DEV_STACK_PORTS.s3Port)
    .action(lazyAction(async () => (await import('./dev')).runDev));

  program
    .command('sim')
    .description(
      'Run the DataCosmos simulator in the foreground; options (--port, --data-dir, --seed, --faults, --items, ' +
        '--credits-at, --api-variant, ...) go to the simulator, whose --help lists them',
    )
    .argument('[options...]', 'simulator options')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(lazyAction(async () => (await import('./sim')).runSimulator));

  const stack = program.command('stack').description('run a stack of the deployment topologies on this machine');
  stack
    .command('production')
    .description(
      'Run docker-compose.yml without Docker: PostgreSQL, Temporal on it (schema and namespace jobs from ' +
        'deploy/temporal/), the simulator, the webhook listener and the workers; state in the data dir',
    )
    .option('--data-dir <dir>', 'where the stack keeps its state (default: $DCP_DATA_DIR or .data)', filePath)
    .option(
      '--port <port>',
      `Temporal gRPC port (default ${PRODUCTION_STACK_PORTS.temporal}, 0 a free port; fixed at first start)`,
      port,
    )
    .option(
      '--postgres-port <port>',
      `PostgreSQL port (default ${PRODUCTION_STACK_PORTS.postgres}, 0 a free port; fixed at first start)`,
      port,
    )
    .option('--metrics-port <port>', `Temporal server metrics port (default ${PRODUCTION_STACK_PORTS.metrics})`, port)
    .option(
      '--shards <n>',
      `history shards (default ${PRODUCTION_HISTORY_SHARDS}; fixed at first start)`,
      integer(1, 1024),
    )
    .option('--workers <n>', 'worker processes sharing the fleet budget', integer(0, 16), 2)
    .option('--sim-port <port>', 'simulator port (0 a free port)', port, PRODUCTION_STACK_PORTS.sim)
    .option('--webhook-port <port>', 'webhook listener port (0 a free port)', port, PRODUCTION_STACK_PORTS.webhook)
    .action(lazyAction(async () => (await import('./stack')).runProductionStack));
  stack
    .command('prepare')
    .description(
      'Find, build or install what `stack production` runs (PostgreSQL, the Temporal server and schema tool, the ' +
        'Temporal CLI) without starting anything: minutes the first time on a machine, then nothing',
    )
    .option(
      '--earlier-releases',
      'also the earlier Temporal server releases that a data dir made by one of them is upgraded through ' +
        '(minutes each the first time; the production tier tests that upgrade)',
      false,
    )
    .action(lazyAction(async () => (await import('./stack')).prepareProductionStack));
}
