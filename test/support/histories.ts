/** Saves workflow histories into test/histories/ for the replay test; committed histories are never rewritten. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { PurchaseEnv } from './purchase-env';

const DIR = path.resolve(__dirname, '..', 'histories');
/** The workflow version being recorded: set HISTORY_VERSION=vN when a new version is released. */
const VERSION = process.env.HISTORY_VERSION ?? 'v1';

/**
 * Writes test/histories/WORKFLOW-VERSION-SCENARIO.json (`purchase-v2-expired.json`): one run of this workflow,
 * the latest when no run id is given.
 */
export function saveHistory(
  env: PurchaseEnv,
  workflow: 'purchase' | 'batch',
  scenario: string,
  workflowId: string,
  runId?: string,
): void {
  const file = path.join(DIR, `${workflow}-${VERSION}-${scenario}.json`);
  if (fs.existsSync(file)) throw new Error(`${file} exists: committed histories are never rewritten`);
  // The CLI's export is the format `temporal workflow show --output json` gives operators, too.
  const args = ['workflow', 'show', '--address', env.temporalAddress, '-w', workflowId, '--output', 'json'];
  const json = execFileSync(process.env.TEMPORAL_TEST_CLI_PATH as string, runId ? [...args, '-r', runId] : args);
  fs.writeFileSync(file, json);
}
