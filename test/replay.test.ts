/**
 * Replays every committed purchase and batch history against today's workflow code: a change that would break
 * workflows already running (non-determinism) fails here. Histories come from `npm run histories:record`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { HISTORIES_DIR, historyFile, NEWEST_RECORDED_VERSION, replayWithTodaysBundle } from './support/histories';

/** `0.1.0/purchase-credits.json`: every release's histories, each in the directory of its version. */
const files = fs
  .readdirSync(HISTORIES_DIR)
  .flatMap((version) => fs.readdirSync(path.join(HISTORIES_DIR, version)).map((file) => path.join(version, file)))
  .filter((f) => f.endsWith('.json'));
const versions = fs.readdirSync(HISTORIES_DIR);

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
/**
 * Scenarios recorded from the version named on: notifications and NEEDS_ATTENTION came after 0.1.0, and so did the
 * batch's search read in chunks planned while purchases run, and coverage batches.
 */
const SCENARIOS_SINCE: Record<string, string[]> = {
  '0.2.0': [
    'purchase-notified-expired',
    'purchase-needs-attention-adopted',
    'purchase-unreadable-order-read-later',
    'batch-search-chunks',
    'batch-coverage',
  ],
};

test.each(versions)('version %s has a history of every purchase and batch scenario', (version) => {
  const present = new Set(fs.readdirSync(path.join(HISTORIES_DIR, version)));
  const since = Object.entries(SCENARIOS_SINCE)
    .filter(([from]) => from.localeCompare(version, undefined, { numeric: true }) <= 0)
    .flatMap(([, scenarios]) => scenarios);
  const expected = [
    ...PURCHASE_SCENARIOS.map((scenario) => `purchase-${scenario}`),
    ...BATCH_SCENARIOS.map((scenario) => `batch-${scenario}`),
    ...since,
  ];
  for (const name of expected) expect(present).toContain(`${name}.json`);
});

test.each(files)('%s replays without non-determinism', async (file) => {
  const history = JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'));
  await replayWithTodaysBundle(history, file);
});

test('a purchase whose checkout result came in a workflow task of its own replays', async () => {
  // Recorded under load: the task that ran the checkout (a local activity) was completed with its result and a new
  // task asked for, so the code after it ran in the next task. The notifications patch, asked there at the time,
  // was asked in a replay before the replay had seen its marker; it is now asked in the first task.
  const file = path.join(__dirname, 'fixtures/task-split/purchase-checkout-result-in-own-task.json');
  const history = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    events: Array<{
      activityTaskScheduledEventAttributes?: { activityType: { name: string } };
      markerRecordedEventAttributes?: { markerName: string };
      workflowTaskScheduledEventAttributes?: object;
    }>;
  };
  const { events } = history;
  const create = events.findIndex(
    (e) => e.activityTaskScheduledEventAttributes?.activityType.name === 'createOrderOnce',
  );
  const checkout = events.findIndex(
    (e, i) => i > create && e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
  );
  expect(events[checkout + 1].workflowTaskScheduledEventAttributes).toBeDefined();
  await replayWithTodaysBundle(history, 'task-split');
});

test('replay catches a workflow that no longer matches its history', async () => {
  const history = JSON.parse(fs.readFileSync(historyFile('purchase', 'credits', NEWEST_RECORDED_VERSION), 'utf8')) as {
    events: Array<{ activityTaskScheduledEventAttributes?: { activityType: { name: string } } }>;
  };
  // As if the workflow had once called another activity first: today's code must be told it diverges.
  const scheduled = history.events.find((e) => e.activityTaskScheduledEventAttributes);
  scheduled!.activityTaskScheduledEventAttributes!.activityType.name = 'someOtherActivity';
  await expect(replayWithTodaysBundle(history, 'tampered')).rejects.toThrow(DeterminismViolationError);
});

test('no committed history holds a client secret or a bearer token', () => {
  for (const file of files) {
    const text = fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8');
    expect(text).not.toMatch(/secret-100\d|Bearer |access_token/);
  }
});
