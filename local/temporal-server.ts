/**
 * Runs `temporal server start-dev` as a child process and waits until it is really usable:
 * accepting connections and showing our search attributes on the namespace.
 */
import { SEARCH_ATTRIBUTES } from '../src/shared/search-attributes';
import { ChildExit, spawnLogged } from './child-process';
import { freePort } from './ports';
import { searchAttributesProblem, untilReady } from './temporal-readiness';

export interface TemporalDevServerOptions {
  cliPath: string;
  /** gRPC port; 0 or undefined picks a free one. */
  port?: number;
  /** Web UI port; undefined picks a free one (unless headless). */
  uiPort?: number;
  headless?: boolean;
  /** SQLite file that keeps workflows across restarts; in memory without it. */
  dbFilename?: string;
  /**
   * Partitions of each task queue (default 1; the server's own default is 4). A database keeps the count it was
   * created with: lowering it strands the tasks waiting in the partitions dropped.
   */
  taskQueuePartitions?: number;
  namespace?: string;
  /** Serves the server's Prometheus metrics on 127.0.0.1:<port>/metrics (the benchmarks read them). */
  metricsPort?: number;
  /** Where the server's own output goes (appended); discarded without it. */
  logFile?: string;
  readyTimeoutMs?: number;
}

export interface TemporalDevServer {
  /** host:port for `Connection.connect({ address })`. */
  address: string;
  port: number;
  uiUrl?: string;
  pid: number;
  /** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would. */
  kill(): void;
  /** Resolves when the server process exits, for whatever reason. */
  exited: Promise<ChildExit>;
}

const HOST = '127.0.0.1';
const DEFAULT_READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
/**
 * The server's Go garbage collector lets its heap grow to five times what is live before collecting (Go's default
 * is twice), unless GOGC is set: on the batch benchmark about 15 % less server CPU per item for about 170 MB more
 * memory at its peak (docs/local-stack.md, "Server memory for CPU").
 */
const DEV_SERVER_GOGC = '400';

export function temporalDevServerArgs(opts: TemporalDevServerOptions & { port: number; namespace: string }): string[] {
  const args = ['server', 'start-dev', '--ip', HOST, '--port', String(opts.port)];
  args.push(...(opts.headless ? ['--headless'] : ['--ui-port', String(opts.uiPort)]));
  if (opts.dbFilename) {
    // Write-ahead log without an fsync per commit: about twice the throughput on a small machine. Commits
    // survive a killed server (the crash tests kill it); an OS crash may lose the last moments.
    args.push('--db-filename', opts.dbFilename, '--sqlite-pragma', 'journal_mode=wal');
    args.push('--sqlite-pragma', 'synchronous=normal');
  }
  if (opts.metricsPort) args.push('--metrics-port', String(opts.metricsPort));
  args.push('--namespace', opts.namespace, '--log-format', 'pretty', '--log-level', 'warn');
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) args.push('--search-attribute', `${name}=${type}`);
  // Eager activity dispatch: an activity scheduled on the workflow's own queue comes back with the workflow task's
  // reply, without a trip through matching (purchases on a worker without a fleet budget).
  const flags = [
    'frontend.enableUpdateWorkflowExecution',
    'frontend.enableUpdateWorkflowExecutionAsyncAccepted',
    'system.enableActivityEagerExecution',
  ];
  for (const key of flags) args.push('--dynamic-config-value', `${key}=true`);
  // One partition per task queue (default 4), as on the production stack (deploy/temporal/dynamicconfig): a queue's
  // rate limit, the fleet's API budget on the DataCosmos queue, is split evenly among its partitions whatever their
  // share of the tasks (docs/performance.md, "The fleet budget against the API limit", has the measured effect).
  const partitions = String(opts.taskQueuePartitions ?? 1);
  for (const key of ['matching.numTaskqueueReadPartitions', 'matching.numTaskqueueWritePartitions']) {
    args.push('--dynamic-config-value', `${key}=${partitions}`);
  }
  // Timers fire when due: by default the server holds back a timer due within 1 s of now (it reads its timer queue
  // that far ahead), so a 200 ms payment poll or activity retry waited about a second (docs/local-stack.md).
  args.push('--dynamic-config-value', 'history.timerProcessorMaxTimeShift="10ms"');
  return args;
}

/** The environment the dev server runs in: this process's, with GOGC at DEV_SERVER_GOGC unless it is set. */
export function devServerEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, GOGC: env.GOGC || DEV_SERVER_GOGC };
}

export async function startTemporalDevServer(opts: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const port = opts.port || (await freePort());
  const uiPort = opts.headless ? undefined : (opts.uiPort ?? (await freePort()));
  const namespace = opts.namespace ?? 'default';
  const server = spawnLogged(opts.cliPath, temporalDevServerArgs({ ...opts, port, uiPort, namespace }), {
    env: devServerEnvironment(process.env),
    logFile: opts.logFile,
    stopGraceMs: STOP_GRACE_MS,
  });
  const address = `${HOST}:${port}`;
  try {
    const ready = () => searchAttributesProblem(address, namespace);
    await untilReady('Temporal dev server', server, ready, opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    address,
    port,
    uiUrl: uiPort === undefined ? undefined : `http://${HOST}:${uiPort}`,
    pid: server.child.pid as number,
    stop: server.stop,
    kill: server.kill,
    exited: server.exited,
  };
}
