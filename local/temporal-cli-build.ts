/**
 * Builds the Temporal CLI from source with Go into the cache directory. The first build takes
 * minutes, so it reports progress, and a lock in the cache directory makes concurrent callers
 * wait for one build instead of racing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describeExit, LastLine, waitForExit } from './child-process';
import { isExecutableFile } from './executables';
import { withFileLock } from './file-lock';

const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const PROGRESS_INTERVAL_MS = 15_000;

export interface TemporalCliBuild {
  goPath: string;
  goVersion: string;
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

/** Leaves an executable `<cacheDir>/temporal`, built by this call or by a concurrent one it waited for. */
export async function buildTemporalCli(build: TemporalCliBuild): Promise<string> {
  const target = path.join(build.cacheDir, 'temporal');
  await fs.mkdir(build.cacheDir, { recursive: true });
  const onWait = (pid: number) => build.log(`waiting for process ${pid}, which is building the Temporal CLI`);
  await withFileLock(path.join(build.cacheDir, 'build.lock'), onWait, async () => {
    if (await isExecutableFile(target)) return;
    // Build aside and rename into place, so nobody ever runs a half-written binary.
    const gobin = await fs.mkdtemp(path.join(build.cacheDir, 'build-'));
    try {
      await runGoInstall(build, gobin);
      await fs.rename(path.join(gobin, 'temporal'), target);
    } finally {
      await fs.rm(gobin, { recursive: true, force: true });
    }
  });
  return target;
}

async function runGoInstall(build: TemporalCliBuild, gobin: string): Promise<void> {
  const pkg = `${TEMPORAL_CLI_MODULE}@${TEMPORAL_CLI_VERSION}`;
  build.log(`Temporal CLI not found: building ${pkg} with ${build.goVersion} (first time only, takes minutes)`);
  const started = Date.now();
  const go = spawn(build.goPath, ['install', pkg], {
    env: { ...build.env, CGO_ENABLED: '0', GOBIN: gobin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lastLine = new LastLine();
  let lastDownload = '';
  go.stdout.on('data', (chunk: Buffer) => lastLine.push(chunk));
  go.stderr.on('data', (chunk: Buffer) => {
    lastLine.push(chunk);
    const downloads = chunk.toString().match(/go: downloading .*/g);
    if (downloads) lastDownload = downloads[downloads.length - 1].trim();
  });
  const seconds = () => Math.round((Date.now() - started) / 1000);
  const progress = setInterval(() => {
    build.log(`building the Temporal CLI: ${seconds()} s elapsed${lastDownload ? `, last ${lastDownload}` : ''}`);
  }, PROGRESS_INTERVAL_MS);
  const exit = await waitForExit(go).finally(() => clearInterval(progress));
  if (exit.code !== 0) {
    throw new Error(`building the Temporal CLI failed: go install ${describeExit(exit)}: ${lastLine}`);
  }
  build.log(`built the Temporal CLI in ${seconds()} s`);
}
