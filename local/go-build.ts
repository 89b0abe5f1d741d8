/**
 * Builds Go programs from source into a cache directory. The first build takes minutes, so it reports
 * progress, and a lock in the cache directory makes concurrent callers wait for one build instead of racing.
 * A module that needs a newer Go than the local one (the Temporal server from v1.30 on needs go1.26.10) is built
 * with the Go toolchain it names, which go fetches from the module proxy like any module, unless GOTOOLCHAIN says
 * otherwise.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { isExecutableFile } from './executables';
import { withFileLock } from './file-lock';
import { runWithProgress } from './long-command';

export interface GoInstall {
  /** What is built, for the progress lines: 'the Temporal CLI'. */
  what: string;
  /** Packages of one module at one version, as `go install` takes them: `<package>@<version>`. */
  packages: string[];
  /** The name `go install` gives each program -> its name in the cache. */
  binaries: Record<string, string>;
  goPath: string;
  goVersion: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/** Leaves every program of `build` executable in its cache directory, built by this call or by a concurrent one it waited for. */
export async function goInstallIntoCache(build: GoInstall): Promise<void> {
  const targets = Object.entries(build.binaries).map(([goName, name]) => ({
    goName,
    target: path.join(build.cacheDir, name),
  }));
  const allThere = async () =>
    (await Promise.all(targets.map(({ target }) => isExecutableFile(target)))).every(Boolean);
  await fs.mkdir(build.cacheDir, { recursive: true });
  const onWait = (pid: number) => build.log(`waiting for process ${pid}, which is building ${build.what}`);
  await withFileLock(path.join(build.cacheDir, 'build.lock'), onWait, async () => {
    if (await allThere()) return;
    // Build aside and rename into place, so nobody ever runs a half-written binary.
    const gobin = await fs.mkdtemp(path.join(build.cacheDir, 'build-'));
    try {
      await runGoInstall(build, gobin);
      for (const { goName, target } of targets) await fs.rename(path.join(gobin, goName), target);
    } finally {
      await fs.rm(gobin, { recursive: true, force: true });
    }
  });
}

async function runGoInstall(build: GoInstall, gobin: string): Promise<void> {
  const what = build.what.replace(/^the /, '');
  const packages = build.packages.join(' and ');
  build.log(
    `${what} not found: building ${packages} with ${build.goVersion} or the newer Go its module needs ` +
      '(first time only, takes minutes)',
  );
  const seconds = await runWithProgress({
    doing: `building ${build.what}`,
    command: build.goPath,
    args: ['install', ...build.packages],
    label: 'go install',
    env: { ...build.env, CGO_ENABLED: '0', GOBIN: gobin, GOTOOLCHAIN: build.env.GOTOOLCHAIN || 'auto' },
    log: build.log,
    notable: /go: downloading .*/g,
  });
  build.log(`built ${build.what} in ${seconds} s`);
}
