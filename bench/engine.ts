/**
 * The Temporal a benchmark runs on: `dev`, the dev server of the Temporal CLI (SQLite, one history shard), or
 * `postgres`, the native production stack (the Temporal server with 4 history shards on PostgreSQL). Both serve
 * the server's Prometheus metrics, and name the processes whose CPU a purchase costs.
 */
import path from 'node:path';
import { freePort } from '../local/ports';
import { TemporalOnPostgres } from '../local/production-stack/temporal-on-postgres';
import { resolveTemporalCli } from '../local/temporal-cli';
import { startTemporalDevServer } from '../local/temporal-server';

export const ENGINES = ['dev', 'postgres'] as const;
export type EngineName = (typeof ENGINES)[number];

export interface BenchEngine {
  name: EngineName;
  /** What it is, for reports. */
  description: string;
  address: string;
  metricsUrl: string;
  /** Process trees whose CPU counts as this engine's, by name (a root pid each; its children count too). */
  processes(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

export async function startEngine(name: EngineName, dir: string, log: (line: string) => void): Promise<BenchEngine> {
  return name === 'dev' ? startDevEngine(dir, log) : startPostgresEngine(dir, log);
}

async function startDevEngine(dir: string, log: (line: string) => void): Promise<BenchEngine> {
  const metricsPort = await freePort();
  const server = await startTemporalDevServer({
    cliPath: await resolveTemporalCli({ log }),
    headless: true,
    dbFilename: path.join(dir, 'temporal.db'),
    logFile: path.join(dir, 'temporal.log'),
    metricsPort,
  });
  return {
    name: 'dev',
    description: 'Temporal dev server (SQLite in WAL mode, 1 history shard)',
    address: server.address,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    processes: async () => ({ 'Temporal server': server.pid }),
    stop: server.stop,
  };
}

async function startPostgresEngine(dir: string, log: (line: string) => void): Promise<BenchEngine> {
  const stack = await TemporalOnPostgres.start({
    dataDir: path.join(dir, 'temporal-on-postgres'),
    port: 0,
    postgresPort: 0,
    metricsPort: 0,
    log,
  });
  return {
    name: 'postgres',
    description: `Temporal server with ${stack.state.shards} history shards on PostgreSQL (persistence and SQL visibility)`,
    address: stack.address,
    metricsUrl: stack.metricsUrl,
    processes: async () => ({ 'Temporal server': stack.serverPid as number, PostgreSQL: await stack.postgres.pid() }),
    stop: () => stack.stop(),
  };
}
