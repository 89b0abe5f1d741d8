/** Runs a command that takes minutes (a Go build, a package install), with a progress line every 15 s. */
import { spawn } from 'node:child_process';
import { describeExit, LastLine, waitForExit } from './child-process';

const PROGRESS_INTERVAL_MS = 15_000;

export interface LongCommand {
  /** What is going on, for the progress lines: 'building the Temporal CLI'. */
  doing: string;
  command: string;
  args: string[];
  /** How the command is named when it fails: 'go install'. */
  label: string;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  /** Output lines worth repeating in the progress line (the latest one is), e.g. /go: downloading .+/g. */
  notable?: RegExp;
}

/** Resolves with the seconds it took; rejects with `<doing> failed: <label> <exit>: <its last output line>`. */
export async function runWithProgress(run: LongCommand): Promise<number> {
  const started = Date.now();
  const child = spawn(run.command, run.args, { env: run.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lastLine = new LastLine();
  let lastNotable = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      lastLine.push(chunk);
      const notable = run.notable && chunk.toString().match(run.notable);
      if (notable) lastNotable = notable[notable.length - 1].trim();
    });
  }
  const seconds = () => Math.round((Date.now() - started) / 1000);
  const progress = setInterval(() => {
    run.log(`${run.doing}: ${seconds()} s elapsed${lastNotable ? `, last ${lastNotable}` : ''}`);
  }, PROGRESS_INTERVAL_MS);
  const exit = await waitForExit(child).finally(() => clearInterval(progress));
  if (exit.code !== 0) throw new Error(`${run.doing} failed: ${run.label} ${describeExit(exit)}: ${lastLine}`);
  return seconds();
}
