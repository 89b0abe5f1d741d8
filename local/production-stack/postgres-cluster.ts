/**
 * A PostgreSQL cluster of the native production stack, in `<data dir>/postgresql`: created once with initdb
 * (superuser `temporal`, password login over TCP), run by pg_ctl on 127.0.0.1 only. PostgreSQL refuses to run as
 * root, so as root every command runs as the `postgres` user (which Debian's package creates) through runuser.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { CliError, ExitCode } from '../../src/shared/errors';

const run = promisify(execFile);
const START_TIMEOUT_S = 120;
/** Appended to postgresql.conf by initdb time; the port is given at each start. */
const SETTINGS = [
  '# datacosmos-purchase: reachable on the loopback interface only, over TCP (no Unix socket directory to own).',
  "listen_addresses = '127.0.0.1'",
  "unix_socket_directories = ''",
];

export interface PostgresClusterOptions {
  binDir: string;
  /** `<data dir>/postgresql`: the cluster (in `data/`) and its log. */
  dir: string;
  port: number;
  user: string;
  password: string;
  log: (line: string) => void;
}

export type StopMode = 'smart' | 'fast' | 'immediate';

export class PostgresCluster {
  private constructor(
    private readonly opts: PostgresClusterOptions,
    private readonly runAs: string[],
  ) {}

  /** The cluster of `opts.dir`, created there (initdb) when it does not exist yet. */
  static async open(opts: PostgresClusterOptions): Promise<PostgresCluster> {
    const runAs = process.getuid?.() === 0 ? await postgresUserPrefix(opts.dir) : [];
    const cluster = new PostgresCluster(opts, runAs);
    if (!(await exists(path.join(cluster.dataDir, 'PG_VERSION')))) await cluster.create();
    return cluster;
  }

  get dataDir(): string {
    return path.join(this.opts.dir, 'data');
  }

  get logFile(): string {
    return path.join(this.opts.dir, 'postgresql.log');
  }

  /** Starts it unless it already runs (left by a stack that was killed); resolves once it accepts connections. */
  async start(): Promise<void> {
    if (await this.isRunning()) return;
    await this.pgCtl('start', '-w', '-t', String(START_TIMEOUT_S), '-l', this.logFile, '-o', `-p ${this.opts.port}`);
  }

  async stop(mode: StopMode = 'fast'): Promise<void> {
    if (await this.isRunning()) await this.pgCtl('stop', '-w', '-m', mode);
  }

  /** Stops in `mode` (immediate: as a crash, recovery from the write-ahead log at start) and starts again. */
  async restart(mode: StopMode): Promise<void> {
    await this.pgCtl('restart', '-w', '-t', String(START_TIMEOUT_S), '-m', mode, '-l', this.logFile);
  }

  async isRunning(): Promise<boolean> {
    try {
      await this.pgCtl('status');
      return true;
    } catch {
      return false;
    }
  }

  /** The postmaster's pid (its server processes are its children). */
  async pid(): Promise<number> {
    const text = await fs.readFile(path.join(this.dataDir, 'postmaster.pid'), 'utf8');
    return Number(text.split('\n')[0]);
  }

  private async create(): Promise<void> {
    this.opts.log(`creating the PostgreSQL cluster in ${this.dataDir}`);
    await fs.mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
    await this.handToPostgresUser(this.opts.dir);
    const passwordFile = path.join(this.opts.dir, 'initdb-password');
    await fs.writeFile(passwordFile, `${this.opts.password}\n`, { mode: 0o600 });
    await this.handToPostgresUser(passwordFile);
    try {
      await this.as('initdb', [
        '--pgdata',
        this.dataDir,
        '--username',
        this.opts.user,
        `--pwfile=${passwordFile}`,
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        '--encoding=UTF8',
        '--no-locale',
      ]);
    } finally {
      await fs.rm(passwordFile, { force: true });
    }
    await fs.appendFile(path.join(this.dataDir, 'postgresql.conf'), `\n${SETTINGS.join('\n')}\n`);
  }

  private async handToPostgresUser(file: string): Promise<void> {
    if (this.runAs.length) await run('chown', ['postgres:', file]);
  }

  private pgCtl(action: string, ...args: string[]): Promise<void> {
    return this.as('pg_ctl', ['--pgdata', this.dataDir, action, ...args], `pg_ctl ${action}`);
  }

  /** Runs one of PostgreSQL's programs (as `postgres` when we are root); fails with its last line of output. */
  private async as(program: string, args: string[], label = program): Promise<void> {
    const [command, ...rest] = [...this.runAs, path.join(this.opts.binDir, program), ...args];
    try {
      await run(command, rest, { timeout: (START_TIMEOUT_S + 30) * 1000 });
    } catch (err) {
      const { stderr, stdout, message } = err as { stderr?: string; stdout?: string; message: string };
      const why = `${stderr ?? ''}\n${stdout ?? ''}`.trim().split('\n').pop() || message;
      throw new Error(`${label} failed (log: ${this.logFile}): ${why}`);
    }
  }
}

/**
 * `runuser -u postgres --`, after checking that the `postgres` user exists and can reach the cluster's directory
 * (the stack's data dir is made traversable for it; directories above it must already be).
 */
async function postgresUserPrefix(clusterDir: string): Promise<string[]> {
  try {
    await run('id', ['-u', 'postgres']);
  } catch {
    throw new CliError(
      'PostgreSQL cannot run as root, and there is no `postgres` user to run it: create one (`useradd --system postgres`)',
      ExitCode.UNAVAILABLE,
    );
  }
  const dataDir = path.dirname(clusterDir);
  const mode = (await fs.stat(dataDir)).mode;
  if ((mode & 0o001) === 0) await fs.chmod(dataDir, (mode & 0o7777) | 0o001);
  try {
    await run('runuser', ['-u', 'postgres', '--', 'test', '-x', dataDir]);
  } catch {
    throw new CliError(
      `PostgreSQL runs as the \`postgres\` user, which cannot reach ${dataDir}: ` +
        'choose a data dir under a path it can traverse (e.g. /var/tmp) or make the directories above it traversable (chmod o+x)',
      ExitCode.UNAVAILABLE,
    );
  }
  return ['runuser', '-u', 'postgres', '--'];
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
