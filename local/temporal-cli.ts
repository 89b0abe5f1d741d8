/**
 * Finds the Temporal CLI (which runs the local dev server) without ever downloading it:
 * $TEMPORAL_CLI_PATH, then `temporal` on PATH, then our cache, else a build with a local Go.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { CliError, ExitCode } from '../src/shared/errors';
import { findOnPath, isExecutableFile } from './executables';
import { buildTemporalCli, TEMPORAL_CLI_VERSION } from './temporal-cli-build';

const MIN_GO = { major: 1, minor: 25 };

export interface ResolveTemporalCliOptions {
  log?: (line: string) => void;
  /** The environment to read (default process.env); tests pass their own. */
  env?: NodeJS.ProcessEnv;
}

/** `${XDG_CACHE_HOME:-~/.cache}/datacosmos-purchase/temporal-v1.5.1`: where a built CLI is kept. */
export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cacheHome = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(cacheHome, 'datacosmos-purchase', `temporal-${TEMPORAL_CLI_VERSION}`);
}

export async function resolveTemporalCli(opts: ResolveTemporalCliOptions = {}): Promise<string> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));

  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (await isExecutableFile(explicit)) return explicit;
    throw new CliError(`TEMPORAL_CLI_PATH=${explicit} is not an executable file`, ExitCode.UNAVAILABLE);
  }
  const onPath = await findOnPath('temporal', env.PATH);
  if (onPath) return onPath;

  const cacheDir = temporalCliCacheDir(env);
  const cached = path.join(cacheDir, 'temporal');
  if (await isExecutableFile(cached)) return cached;

  const go = await findGo(env);
  if ('problem' in go) throw new CliError(noTemporalCliMessage(go.problem, cacheDir), ExitCode.UNAVAILABLE);
  return buildTemporalCli({ goPath: go.path, goVersion: go.version, cacheDir, env, log });
}

type GoLookup = { path: string; version: string } | { problem: string };

async function findGo(env: NodeJS.ProcessEnv): Promise<GoLookup> {
  const goPath = await findOnPath('go', env.PATH);
  if (!goPath) return { problem: 'no `go` on PATH' };
  let version: string;
  try {
    const { stdout } = await promisify(execFile)(goPath, ['env', 'GOVERSION'], { env, timeout: 30_000 });
    version = stdout.trim();
  } catch (err) {
    return { problem: `\`${goPath} env GOVERSION\` failed: ${(err as Error).message.split('\n')[0]}` };
  }
  const match = /go(\d+)\.(\d+)/.exec(version);
  const [major, minor] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (major < MIN_GO.major || (major === MIN_GO.major && minor < MIN_GO.minor)) {
    return { problem: `${goPath} is ${version || 'of unknown version'}, older than go${MIN_GO.major}.${MIN_GO.minor}` };
  }
  return { path: goPath, version };
}

function noTemporalCliMessage(goProblem: string, cacheDir: string): string {
  return (
    `Temporal CLI not found and cannot be built (${goProblem}). Provide it in one of these ways: ` +
    'set TEMPORAL_CLI_PATH to a temporal binary; put `temporal` on PATH; ' +
    `install Go >= ${MIN_GO.major}.${MIN_GO.minor} so it is built into ${cacheDir}; ` +
    'or, on a machine with internet, `curl -sSf https://temporal.download/cli.sh | sh` or `brew install temporal`'
  );
}
