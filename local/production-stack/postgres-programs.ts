/**
 * Finds PostgreSQL's server programs (initdb, pg_ctl, postgres): $POSTGRES_BIN_DIR, then `pg_ctl` on PATH, then
 * Debian's /usr/lib/postgresql/<version>/bin (newest first). When there are none and we may install packages
 * (root, apt-get), installs Debian's `postgresql` package once, under a lock, with progress lines.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { CliError, ExitCode } from '../../src/shared/errors';
import { cacheRoot } from '../cache-dir';
import { findOnPath, isExecutableFile } from '../executables';
import { withFileLock } from '../file-lock';
import { runWithProgress } from '../long-command';

const PROGRAMS = ['initdb', 'pg_ctl', 'postgres'];
const DEBIAN_ROOT = '/usr/lib/postgresql';

export interface FindPostgresOptions {
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Where Debian keeps its PostgreSQL versions (tests point it elsewhere). */
  debianRoot?: string;
}

/** The directory holding initdb, pg_ctl and postgres. */
export async function resolvePostgresBinDir(opts: FindPostgresOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const debianRoot = opts.debianRoot ?? DEBIAN_ROOT;
  const explicit = env.POSTGRES_BIN_DIR;
  if (explicit) {
    if (await hasPrograms(explicit)) return explicit;
    throw new CliError(`POSTGRES_BIN_DIR=${explicit} does not hold ${PROGRAMS.join(', ')}`, ExitCode.UNAVAILABLE);
  }
  const found = await findInstalled(env, debianRoot);
  if (found) return found;

  const aptGet = await findOnPath('apt-get', env.PATH);
  if (!aptGet || process.getuid?.() !== 0) {
    throw new CliError(
      `PostgreSQL not found (no ${PROGRAMS.join(', ')} in POSTGRES_BIN_DIR, beside pg_ctl on PATH or in ` +
        `${debianRoot}/<version>/bin): install it (Debian/Ubuntu: \`sudo apt-get install postgresql\`) or set POSTGRES_BIN_DIR`,
      ExitCode.UNAVAILABLE,
    );
  }
  await installDebianPackage(aptGet, env, log, debianRoot);
  const installed = await findInstalled(env, debianRoot);
  if (!installed) throw new Error(`installed Debian's postgresql package, yet no PostgreSQL in ${debianRoot}`);
  return installed;
}

async function hasPrograms(dir: string): Promise<boolean> {
  return (await Promise.all(PROGRAMS.map((name) => isExecutableFile(path.join(dir, name))))).every(Boolean);
}

async function findInstalled(env: NodeJS.ProcessEnv, debianRoot: string): Promise<string | undefined> {
  const pgCtl = await findOnPath('pg_ctl', env.PATH);
  // pg_ctl on PATH is often a link into the real directory, where initdb and postgres sit beside it.
  if (pgCtl) {
    const dir = path.dirname(await fs.realpath(pgCtl));
    if (await hasPrograms(dir)) return dir;
  }
  const versions = await fs.readdir(debianRoot).catch(() => [] as string[]);
  for (const version of versions.filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a))) {
    const dir = path.join(debianRoot, version, 'bin');
    if (await hasPrograms(dir)) return dir;
  }
  return undefined;
}

/** One install at a time on this machine; a caller that waited finds PostgreSQL installed. */
async function installDebianPackage(
  aptGet: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  debianRoot: string,
): Promise<void> {
  const lockDir = cacheRoot(env);
  await fs.mkdir(lockDir, { recursive: true });
  const onWait = (pid: number) => log(`waiting for process ${pid}, which is installing PostgreSQL`);
  await withFileLock(path.join(lockDir, 'postgresql-install.lock'), onWait, async () => {
    if (await findInstalled(env, debianRoot)) return;
    log("PostgreSQL not found: installing Debian's postgresql package with apt-get (first time only)");
    const apt = { command: aptGet, label: 'apt-get', env: { ...env, DEBIAN_FRONTEND: 'noninteractive' }, log };
    const seconds =
      (await runWithProgress({ ...apt, doing: 'updating the package lists', args: ['update', '-qq'] })) +
      (await runWithProgress({
        ...apt,
        doing: 'installing PostgreSQL',
        args: ['install', '-y', '-qq', '--no-install-recommends', 'postgresql'],
        notable: /(Unpacking|Setting up) \S+/g,
      }));
    log(`installed PostgreSQL in ${seconds} s`);
  });
}
