/**
 * Finds programs that are built from Go modules, without ever downloading a release binary: each one from its
 * own environment variable, then on PATH, then in our cache; when one is missing everywhere, all of them are
 * built with a local Go into that cache.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CliError, ExitCode } from '../src/shared/errors';
import { cacheRoot } from './cache-dir';
import { findOnPath, isExecutableFile } from './executables';
import { goInstallIntoCache } from './go-build';

const MIN_GO = { major: 1, minor: 25 };

export interface GoProgram {
  /** Its name on PATH and in the cache. */
  name: string;
  /** The name `go install` gives it (the package's last path element). */
  goName: string;
  /** The variable that may point at it, e.g. TEMPORAL_CLI_PATH. */
  envVar: string;
}

export interface GoPrograms {
  /** What they are, for messages: 'the Temporal CLI'. */
  what: string;
  /** The cache directory's name under `${XDG_CACHE_HOME:-~/.cache}/datacosmos-purchase/`, with the version. */
  cacheName: string;
  /** `<package>@<version>` of each program, all of one module at one version. */
  packages: string[];
  programs: GoProgram[];
  /**
   * Found only in our cache (or built there): for programs of an earlier version, which the variables and PATH
   * (meant for the current one) do not name.
   */
  onlyBuilt?: boolean;
  /** Other ways to get them, ending the "not found" message. */
  otherWays: string;
}

export interface ResolveOptions {
  log?: (line: string) => void;
  /** The environment to read (default process.env); tests pass their own. */
  env?: NodeJS.ProcessEnv;
}

/** `${XDG_CACHE_HOME:-~/.cache}/datacosmos-purchase/<cacheName>`: where built programs are kept. */
export function goProgramsCacheDir(spec: GoPrograms, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), spec.cacheName);
}

/** The path of each program of `spec`, by name. */
export async function resolveGoPrograms(spec: GoPrograms, opts: ResolveOptions = {}): Promise<Record<string, string>> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const cacheDir = goProgramsCacheDir(spec, env);
  const found: Record<string, string> = {};
  let missing = false;
  for (const program of spec.programs) {
    const located = await locate(program, env, cacheDir, spec.onlyBuilt);
    if (located) found[program.name] = located;
    else missing = true;
  }
  if (!missing) return found;

  const go = await findGo(env);
  if ('problem' in go) throw new CliError(notFoundMessage(spec, go.problem, cacheDir), ExitCode.UNAVAILABLE);
  const binaries = Object.fromEntries(spec.programs.map((p) => [p.goName, p.name]));
  await goInstallIntoCache({
    what: spec.what,
    packages: spec.packages,
    binaries,
    goPath: go.path,
    goVersion: go.version,
    cacheDir,
    env,
    log,
  });
  for (const program of spec.programs) found[program.name] ??= path.join(cacheDir, program.name);
  return found;
}

async function locate(
  program: GoProgram,
  env: NodeJS.ProcessEnv,
  cacheDir: string,
  onlyBuilt = false,
): Promise<string | undefined> {
  if (!onlyBuilt) {
    const explicit = env[program.envVar];
    if (explicit) {
      if (await isExecutableFile(explicit)) return explicit;
      throw new CliError(`${program.envVar}=${explicit} is not an executable file`, ExitCode.UNAVAILABLE);
    }
    const onPath = await findOnPath(program.name, env.PATH);
    if (onPath) return onPath;
  }
  const cached = path.join(cacheDir, program.name);
  return (await isExecutableFile(cached)) ? cached : undefined;
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

function notFoundMessage(spec: GoPrograms, goProblem: string, cacheDir: string): string {
  const what = spec.what.replace(/^the /, '');
  const variables = spec.programs.map((p) => `set ${p.envVar} to a ${p.name} binary`).join(', ');
  const onPath = spec.programs.map((p) => `\`${p.name}\``).join(' and ');
  const elsewhere = spec.onlyBuilt ? '' : `${variables}; put ${onPath} on PATH; `;
  const into = spec.onlyBuilt ? ' into that directory' : '';
  return (
    `${what} not found and cannot be built (${goProblem}). Provide it in one of these ways: ${elsewhere}` +
    `install Go >= ${MIN_GO.major}.${MIN_GO.minor} so it is built into ${cacheDir}; ${spec.otherWays}${into}`
  );
}
