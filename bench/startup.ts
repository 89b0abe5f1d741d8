/**
 * How fast `dcp` starts, side by side in one run: the median of repeated runs of `node -e 0`, `dcp --help` and the
 * Temporal CLI's own `--help`; and `dcp status ID` beside `temporal workflow describe` of the same purchase.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { settingsEnvironment, type Settings } from '../src/config/settings';
import { percentile, round } from '../harness/stats';

const DCP = path.resolve(__dirname, '../dist/src/starter.js');

/** Median wall time of `runs` runs of the command, in ms; it must exit 0. */
function medianMs(command: string, args: string[], env: NodeJS.ProcessEnv, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const run = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(performance.now() - started);
    if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  }
  return round(percentile(times, 50), 0);
}

export interface StartupFigures {
  runs: number;
  nodeMs: number;
  dcpHelpMs: number;
  temporalHelpMs: number;
  helpRatio: number;
  dcpStatusMs: number;
  temporalDescribeMs: number;
  statusRatio: number;
}

export function startup(settings: Settings, purchaseId: string, temporalCli: string, runs: number): StartupFigures {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...settingsEnvironment(settings) };
  // One run of each first, so file caches are warm for all of them alike.
  execFileSync(process.execPath, [DCP, '--help'], { env, stdio: 'ignore' });
  const nodeMs = medianMs(process.execPath, ['-e', '0'], env, runs);
  const dcpHelpMs = medianMs(process.execPath, [DCP, '--help'], env, runs);
  const temporalHelpMs = medianMs(temporalCli, ['--help'], env, runs);
  const dcpStatusMs = medianMs(process.execPath, [DCP, 'status', purchaseId], env, runs);
  const temporalDescribeMs = medianMs(
    temporalCli,
    ['workflow', 'describe', '--address', settings.temporal.address, '-w', purchaseId],
    env,
    runs,
  );
  return {
    runs,
    nodeMs,
    dcpHelpMs,
    temporalHelpMs,
    helpRatio: round(dcpHelpMs / nodeMs),
    dcpStatusMs,
    temporalDescribeMs,
    statusRatio: round(dcpStatusMs / temporalDescribeMs),
  };
}
