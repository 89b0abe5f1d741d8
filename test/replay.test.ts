/**
 * Replays every committed purchase and batch history against today's workflow code: a change that would break
 * workflows already running (non-determinism) fails here. Histories come from `npm run histories:record` and
 * `npm run histories:record-batch`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { WORKFLOW_BUNDLE_PATH } from '../src/worker';

const DIR = path.resolve(__dirname, 'histories');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json'));

const PURCHASE_SCENARIOS = [
  'credits',
  'approved',
  'failed-unknown-item',
  'card-paid-by-signal',
  'cancelled-awaiting-payment',
  'expired',
  'continued-as-new-first-run',
  'continued-as-new-last-run',
];
const BATCH_SCENARIOS = ['completed-outcomes', 'continued-as-new-first-run', 'continued-as-new-last-run', 'cancelled'];

/** Version -> scenarios recorded for the workflow whose files start with this prefix (`purchase-v2-expired.json`). */
function scenariosByVersion(workflow: string): Map<string, Set<string>> {
  const byVersion = new Map<string, Set<string>>();
  for (const file of files) {
    const match = new RegExp(`^${workflow}-(v\\d+)-(.+)\\.json$`).exec(file);
    if (!match) continue;
    byVersion.set(match[1], (byVersion.get(match[1]) ?? new Set()).add(match[2]));
  }
  return byVersion;
}

test('every recorded version of the purchase workflow has a history of every scenario', () => {
  const byVersion = scenariosByVersion('purchase');
  expect([...byVersion.keys()]).toEqual(expect.arrayContaining(['v1', 'v2', 'v3']));
  for (const scenarios of byVersion.values()) expect(scenarios).toEqual(new Set(PURCHASE_SCENARIOS));
});

test('every recorded version of the batch workflow has a history of every scenario', () => {
  const byVersion = scenariosByVersion('batch');
  expect([...byVersion.keys()]).toEqual(expect.arrayContaining(['v1', 'v2']));
  for (const scenarios of byVersion.values()) expect(scenarios).toEqual(new Set(BATCH_SCENARIOS));
});

test.each(files)('%s replays without non-determinism', async (file) => {
  const history = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
  await Worker.runReplayHistory({ workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }, history, file);
});

test('replay catches a workflow that no longer matches its history', async () => {
  const history = JSON.parse(fs.readFileSync(path.join(DIR, 'purchase-v1-credits.json'), 'utf8')) as {
    events: Array<{ activityTaskScheduledEventAttributes?: { activityType: { name: string } } }>;
  };
  // As if the workflow had once called another activity first: today's code must be told it diverges.
  const scheduled = history.events.find((e) => e.activityTaskScheduledEventAttributes);
  scheduled!.activityTaskScheduledEventAttributes!.activityType.name = 'someOtherActivity';
  await expect(
    Worker.runReplayHistory({ workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH } }, history, 'tampered'),
  ).rejects.toThrow(DeterminismViolationError);
});

test('no committed history holds a client secret or a bearer token', () => {
  for (const file of files) {
    const text = fs.readFileSync(path.join(DIR, file), 'utf8');
    expect(text).not.toMatch(/secret-100\d|Bearer |access_token/);
  }
});
