/**
 * Workflow histories for the replay test, kept per release in test/histories/<version>/ (the package.json
 * version). Recording writes the current version's directory; after a release, bump the version before
 * changing a workflow, so every released version's histories stay as they were and keep replaying.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { Worker, type History } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_PATH } from '../../src/runtime/purchase-worker';
import type { PurchaseEnv } from './purchase-env';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'histories');
const VERSION: string = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')).version;

/** The newest version with recorded histories: the current one once recorded, else the last release. */
export const NEWEST_RECORDED_VERSION: string = fs
  .readdirSync(HISTORIES_DIR)
  .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  .pop() as string;

/** test/histories/<version>/<workflow>-<scenario>.json */
export function historyFile(workflow: 'purchase' | 'batch', scenario: string, version = VERSION): string {
  return path.join(HISTORIES_DIR, version, `${workflow}-${scenario}.json`);
}

/** Writes one run of this workflow (the latest when no run id is given) as the current version's history. */
export function saveHistory(
  env: PurchaseEnv,
  workflow: 'purchase' | 'batch',
  scenario: string,
  workflowId: string,
  runId?: string,
): void {
  const file = historyFile(workflow, scenario);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // The CLI's export is the format `temporal workflow show --output json` gives operators, too.
  const args = ['workflow', 'show', '--address', env.temporalAddress, '-w', workflowId, '--output', 'json'];
  const json = execFileSync(process.env.TEMPORAL_TEST_CLI_PATH as string, runId ? [...args, '-r', runId] : args);
  fs.writeFileSync(file, json);
}

/** Replays a history (fetched, or read from a file) against today's workflow bundle; rejects on non-determinism. */
export function replayWithTodaysBundle(history: History | unknown, workflowId: string): Promise<void> {
  return Worker.runReplayHistory({ workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }, history, workflowId);
}

/**
 * Replays a workflow's latest run against today's workflow bundle (throws on non-determinism): a patch asked only
 * on some path must be asked at the same point when the run is replayed.
 */
export async function expectReplays(handle: WorkflowHandle): Promise<void> {
  await replayWithTodaysBundle(await handle.fetchHistory(), handle.workflowId);
}
