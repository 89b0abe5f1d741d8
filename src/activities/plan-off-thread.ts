/**
 * Coverage planning off the worker's event loop. A plan over thousands of scenes is a minute of polygon arithmetic;
 * run inline it would stall every other task of the worker (workflow tasks time out, queries go unanswered) and leave
 * the client's idle connections to be closed by the API under it. In a thread, the worker goes on serving.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Aoi } from '../coverage/aoi';
import type { CoverageCandidate } from '../coverage/candidates';
import type { CoverageOptions, CoveragePlan } from '../coverage/plan';

/** Compiled, the thread runs as JavaScript; from sources (tests, benchmarks), through tsx. */
const THREAD = path.join(__dirname, `coverage-thread${path.extname(__filename)}`);
const EXEC_ARGV = path.extname(__filename) === '.ts' ? ['--require', 'tsx/cjs'] : [];

export function planOffThread(
  aoi: Aoi,
  candidates: CoverageCandidate[],
  options: CoverageOptions,
): Promise<CoveragePlan> {
  return new Promise((resolve, reject) => {
    const thread = new Worker(THREAD, { workerData: { aoi, candidates, options }, execArgv: EXEC_ARGV });
    thread.once('message', resolve);
    thread.once('error', reject);
    thread.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the coverage planning thread exited with code ${code}`));
    });
  });
}
