/**
 * Temporal on PostgreSQL on this machine, as docker-compose.yml runs it: a PostgreSQL cluster in
 * `<data dir>/postgresql`, the schema job (deploy/temporal/setup-postgres.sh), the Temporal server with several
 * history shards and SQL visibility (deploy/temporal/config/production-sql.yaml), then the namespace job
 * (deploy/temporal/create-namespace.sh). Started again on the same data dir, it finds every workflow where it was;
 * on a database of an earlier release it first runs every release in between, one minor version at a time.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CliError, ExitCode } from '../../src/shared/errors';
import type { ChildExit } from '../child-process';
import { assertPortFree, freePort, PRODUCTION_HISTORY_SHARDS, PRODUCTION_STACK_PORTS } from '../ports';
import { resolveTemporalCli } from '../temporal-cli';
import { frontendProblem, searchAttributesProblem, untilReady } from '../temporal-readiness';
import { resolveTemporalServerPrograms, type TemporalServerPrograms } from '../temporal-server-programs';
import { releasesBetween, TEMPORAL_SERVER_VERSION } from '../temporal-server-releases';
import { DEPLOY_TEMPORAL_DIR, linkPrograms, runDeployScript, SEARCH_ATTRIBUTES_SPEC } from './deploy-scripts';
import { PostgresCluster, type StopMode } from './postgres-cluster';
import { killServer, lastLogLine, launchServer, runningServer, stopServer, type ServerProcess } from './server-process';
import { resolvePostgresBinDir } from './postgres-programs';
import { readStackState, ServerPorts, StackState, writeStackState } from './stack-state';

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 120_000;

export interface TemporalOnPostgresOptions {
  dataDir: string;
  /**
   * Fixed when the data dir is first used (later values must match or be left out): undefined takes
   * PRODUCTION_STACK_PORTS, 0 a free port. The server's internal ports are free ports, kept for later starts.
   */
  port?: number;
  postgresPort?: number;
  metricsPort?: number;
  shards?: number;
  /**
   * The Temporal release to run (default the current one): an earlier one of TEMPORAL_SERVER_RELEASES makes a
   * stack as that release did, for tests of the upgrade from it.
   */
  release?: string;
  log?: (line: string) => void;
}

/** The server programs of one release. */
interface Release extends TemporalServerPrograms {
  release: string;
}

/** How the server is started: the config template of deploy/temporal/, whatever the release. */
const SERVER_ARGS = ['--root', DEPLOY_TEMPORAL_DIR, '--config', 'config', '--env', 'production-sql', '--allow-no-auth'];

export class TemporalOnPostgres {
  private constructor(
    readonly dataDir: string,
    readonly state: StackState,
    private readonly serverPath: string,
    readonly postgres: PostgresCluster,
    private server: ServerProcess | undefined,
  ) {}

  static async start(opts: TemporalOnPostgresOptions): Promise<TemporalOnPostgres> {
    const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
    const dataDir = path.resolve(opts.dataDir);
    fs.mkdirSync(dataDir, { recursive: true });
    const release = opts.release ?? TEMPORAL_SERVER_VERSION;
    const state = await settleState(dataDir, opts, release, log);
    const running = runningServer(dataDir);
    if (running)
      throw new CliError(
        `a Temporal server of ${dataDir} already runs (pid ${running.pid}): stop its stack, or \`kill ${running.pid}\` ` +
          'if the stack that started it was killed',
        ExitCode.UNAVAILABLE,
      );

    // Every release the database must run first, found or built before anything starts.
    const upgrades: Release[] = [];
    for (const step of releasesBetween(state.temporalServerVersion, release))
      upgrades.push({ release: step, ...(await resolveTemporalServerPrograms({ log }, step)) });
    const { postgres, programs } = await prepare(dataDir, release, state, log);
    if (!(await postgres.isRunning())) await assertPortFree(state.postgres.port, 'PostgreSQL');
    for (const [name, port] of Object.entries(state.ports)) await assertPortFree(port, `Temporal server (${name})`);

    log(`starting PostgreSQL on ${HOST}:${state.postgres.port}`);
    await postgres.start();
    const stack = new TemporalOnPostgres(dataDir, state, programs.server, postgres, undefined);
    try {
      for (const upgrade of upgrades) await stack.runOnce(upgrade, log);
      log(`bringing the schemas to Temporal ${release} (deploy/temporal/setup-postgres.sh)`);
      await stack.runSchemaJob(programs.sqlTool);
      stack.record(release);

      log(`starting the Temporal server ${release} on ${stack.address} (${state.shards} history shards)`);
      await stack.restartServer();
      log('creating the namespace and the search attributes (deploy/temporal/create-namespace.sh)');
      await runDeployScript(
        'create-namespace.sh',
        { TEMPORAL_ADDRESS: stack.address, NAMESPACE: state.namespace, SEARCH_ATTRIBUTES: SEARCH_ATTRIBUTES_SPEC },
        { binDir: binDirOf(dataDir), logFile: stack.setupLogFile },
      );
      await stack.untilReady(() => searchAttributesProblem(stack.address, state.namespace));
      return stack;
    } catch (err) {
      await stack.stop();
      throw err;
    }
  }

  /** The stack another process started on `dataDir` (its server may be down): to kill, restart or stop its parts. */
  static async attach(dataDir: string, log: (line: string) => void = () => undefined): Promise<TemporalOnPostgres> {
    const state = readStackState(dataDir);
    if (!state) throw new CliError(`${dataDir} holds no native production stack`, ExitCode.USAGE);
    const { postgres, programs } = await prepare(dataDir, state.temporalServerVersion, state, log);
    return new TemporalOnPostgres(dataDir, state, programs.server, postgres, runningServer(dataDir));
  }

  get address(): string {
    return `${HOST}:${this.state.ports.frontend}`;
  }

  get namespace(): string {
    return this.state.namespace;
  }

  get metricsUrl(): string {
    return `http://${HOST}:${this.state.ports.metrics}/metrics`;
  }

  get serverLogFile(): string {
    return path.join(this.dataDir, 'temporal-server.log');
  }

  /** The output of the schema and namespace jobs. */
  get setupLogFile(): string {
    return path.join(this.dataDir, 'setup.log');
  }

  /** The server's pid, when it runs. */
  get serverPid(): number | undefined {
    return this.server?.pid;
  }

  /** Resolves when the server this process started exits, for whatever reason. */
  get serverExited(): Promise<ChildExit> {
    if (!this.server?.exited) throw new Error('the Temporal server was not started by this process');
    return this.server.exited;
  }

  /** SIGKILL, as a crash would; resolves once the process is gone. */
  async killServer(): Promise<void> {
    if (this.server) await killServer(this.server);
    this.server = undefined;
  }

  /** Starts the server (again) on the same ports and database; resolves once its frontend answers. */
  restartServer(): Promise<void> {
    return this.launch(this.serverPath);
  }

  /** pg_ctl restart in `mode`: `immediate` stops PostgreSQL as a crash would, with recovery at start. */
  restartPostgres(mode: StopMode): Promise<void> {
    return this.postgres.restart(mode);
  }

  /** The server (SIGTERM, then SIGKILL after a grace period), then PostgreSQL (fast shutdown). */
  async stop(): Promise<void> {
    await this.stopServer();
    await this.postgres.stop('fast');
  }

  /**
   * Runs an earlier release on the database once, as Temporal's upgrades require of every minor version on the
   * way: its schema job, then its server until the frontend answers, then a graceful stop.
   */
  private async runOnce(upgrade: Release, log: (line: string) => void): Promise<void> {
    log(
      `upgrading from Temporal ${this.state.temporalServerVersion}: running ${upgrade.release} on the database first ` +
        '(Temporal upgrades one minor version at a time)',
    );
    await this.runSchemaJob(upgrade.sqlTool);
    await this.launch(upgrade.server);
    await this.stopServer();
    this.record(upgrade.release);
  }

  /** deploy/temporal/setup-postgres.sh with this temporal-sql-tool: both schemas brought to its release's. */
  private async runSchemaJob(sqlTool: string): Promise<void> {
    const binDir = binDirOf(this.dataDir);
    await linkPrograms(binDir, { 'temporal-sql-tool': sqlTool });
    await runDeployScript('setup-postgres.sh', schemaJobEnvironment(this.state), {
      binDir,
      logFile: this.setupLogFile,
    });
  }

  /** The database now holds `release`'s schema, which a later start goes on from. */
  private record(release: string): void {
    this.state.temporalServerVersion = release;
    writeStackState(this.dataDir, this.state);
  }

  private async launch(serverPath: string): Promise<void> {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...serverEnvironment(this.state) };
    this.server = launchServer(serverPath, [...SERVER_ARGS, 'start'], env, this.dataDir, this.serverLogFile);
    await this.untilReady(() => frontendProblem(this.address));
  }

  private async stopServer(): Promise<void> {
    if (this.server) await stopServer(this.server, this.dataDir);
    this.server = undefined;
  }

  private async untilReady(problem: () => Promise<string>): Promise<void> {
    const server = this.server;
    if (!server?.exited) throw new Error('the Temporal server was not started by this process');
    const lastLine = { toString: () => lastLogLine(this.serverLogFile) };
    await untilReady('Temporal server', { exited: server.exited, lastLine }, problem, READY_TIMEOUT_MS);
  }
}

export interface StackPrograms {
  /** Holds initdb, pg_ctl and postgres. */
  postgresBinDir: string;
  server: string;
  sqlTool: string;
  cli: string;
}

/** Finds, builds or installs every program the stack runs at `release` (once per machine; minutes the first time). */
export async function resolveStackPrograms(
  log: (line: string) => void,
  release: string = TEMPORAL_SERVER_VERSION,
): Promise<StackPrograms> {
  const postgresBinDir = await resolvePostgresBinDir({ log });
  const temporal = await resolveTemporalServerPrograms({ log }, release);
  const cli = await resolveTemporalCli({ log });
  return { postgresBinDir, ...temporal, cli };
}

/** Where the deploy scripts find our programs, under the names Temporal's images give them. */
function binDirOf(dataDir: string): string {
  return path.join(dataDir, 'bin');
}

/** The programs of `release` and the PostgreSQL cluster of a stack, with the Temporal CLI linked for the scripts. */
async function prepare(
  dataDir: string,
  release: string,
  state: StackState,
  log: (line: string) => void,
): Promise<{ postgres: PostgresCluster; programs: StackPrograms }> {
  const programs = await resolveStackPrograms(log, release);
  await linkPrograms(binDirOf(dataDir), { temporal: programs.cli });
  const postgres = await PostgresCluster.open({
    binDir: programs.postgresBinDir,
    dir: path.join(dataDir, 'postgresql'),
    port: state.postgres.port,
    user: state.postgres.user,
    password: state.postgres.password,
    log,
  });
  return { postgres, programs };
}

/** The data dir's state, or a new one from the options; options that contradict a created cluster are refused. */
async function settleState(
  dataDir: string,
  opts: TemporalOnPostgresOptions,
  release: string,
  log: (line: string) => void,
): Promise<StackState> {
  const saved = readStackState(dataDir);
  if (!saved) {
    const ports: Record<string, number> = {};
    for (const name of Object.keys(ServerPorts.shape)) ports[name] = await freePort();
    const chosen = async (asked: number | undefined, fallback: number) =>
      asked === 0 ? freePort() : (asked ?? fallback);
    return {
      version: 1,
      temporalServerVersion: release,
      shards: opts.shards ?? PRODUCTION_HISTORY_SHARDS,
      namespace: 'default',
      // The password only guards a cluster that listens on the loopback interface; it stays in the state file.
      postgres: {
        port: await chosen(opts.postgresPort, PRODUCTION_STACK_PORTS.postgres),
        user: 'temporal',
        password: randomBytes(18).toString('base64url'),
      },
      ports: {
        ...(ports as ServerPorts),
        frontend: await chosen(opts.port, PRODUCTION_STACK_PORTS.temporal),
        metrics: await chosen(opts.metricsPort, PRODUCTION_STACK_PORTS.metrics),
      },
    };
  }
  const fixed: Array<[string, number | undefined, number]> = [
    ['history shards', opts.shards, saved.shards],
    ['Temporal port', opts.port, saved.ports.frontend],
    ['PostgreSQL port', opts.postgresPort, saved.postgres.port],
    ['metrics port', opts.metricsPort, saved.ports.metrics],
  ];
  for (const [what, asked, kept] of fixed)
    if (asked && asked !== kept)
      throw new CliError(
        `${dataDir} was created with ${what} ${kept}, not ${asked}: leave the option out or use a new data dir`,
        ExitCode.USAGE,
      );
  if (saved.temporalServerVersion !== release)
    log(`upgrading the stack from Temporal ${saved.temporalServerVersion} to ${release}`);
  return saved;
}

function schemaJobEnvironment(state: StackState): Record<string, string> {
  return {
    POSTGRES_SEEDS: HOST,
    DB_PORT: String(state.postgres.port),
    POSTGRES_USER: state.postgres.user,
    POSTGRES_PWD: state.postgres.password,
  };
}

/** The variables deploy/temporal/config/production-sql.yaml reads (the names of the temporalio/server image). */
function serverEnvironment(state: StackState): Record<string, string> {
  const p = state.ports;
  return {
    ...schemaJobEnvironment(state),
    NUM_HISTORY_SHARDS: String(state.shards),
    DYNAMIC_CONFIG_FILE_PATH: path.join(DEPLOY_TEMPORAL_DIR, 'dynamicconfig', 'production-sql.yaml'),
    BIND_ON_IP: HOST,
    FRONTEND_GRPC_PORT: String(p.frontend),
    FRONTEND_HTTP_PORT: String(p.frontendHttp),
    FRONTEND_MEMBERSHIP_PORT: String(p.frontendMembership),
    HISTORY_GRPC_PORT: String(p.history),
    HISTORY_MEMBERSHIP_PORT: String(p.historyMembership),
    MATCHING_GRPC_PORT: String(p.matching),
    MATCHING_MEMBERSHIP_PORT: String(p.matchingMembership),
    WORKER_GRPC_PORT: String(p.worker),
    WORKER_MEMBERSHIP_PORT: String(p.workerMembership),
    PROMETHEUS_ENDPOINT: `${HOST}:${p.metrics}`,
  };
}
