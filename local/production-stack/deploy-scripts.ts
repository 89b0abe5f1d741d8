/**
 * Runs the one-shot jobs of deploy/temporal/ (the very scripts docker-compose.yml mounts) on this machine, with
 * a directory of our own programs first on PATH under the names Temporal's images give them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../src/config/package-root';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes';
import { describeExit, spawnLogged } from '../child-process';

export const DEPLOY_TEMPORAL_DIR = path.join(PACKAGE_ROOT, 'deploy', 'temporal');

/** `Name=Type ...`: the $SEARCH_ATTRIBUTES of create-namespace.sh, as docker-compose.yml lists them. */
export const SEARCH_ATTRIBUTES_SPEC = Object.entries(SEARCH_ATTRIBUTES)
  .map(([name, type]) => `${name}=${type}`)
  .join(' ');

/** Makes `<binDir>/<name>` a link to each program, replacing older links. */
export async function linkPrograms(binDir: string, programs: Record<string, string>): Promise<void> {
  await fs.mkdir(binDir, { recursive: true });
  for (const [name, target] of Object.entries(programs)) {
    const link = path.join(binDir, name);
    await fs.rm(link, { force: true });
    await fs.symlink(target, link);
  }
}

/** Runs `sh deploy/temporal/<script>` with only `env` (and PATH, HOME) set; its output is appended to `logFile`. */
export async function runDeployScript(
  script: string,
  env: Record<string, string>,
  opts: { binDir: string; logFile: string },
): Promise<void> {
  const job = spawnLogged('sh', [path.join(DEPLOY_TEMPORAL_DIR, script)], {
    env: { PATH: `${opts.binDir}${path.delimiter}${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/', ...env },
    logFile: opts.logFile,
    stopGraceMs: 5_000,
  });
  const exit = await job.exited;
  if (exit.code !== 0)
    throw new Error(`deploy/temporal/${script} ${describeExit(exit)} (log: ${opts.logFile}): ${job.lastLine}`);
}
