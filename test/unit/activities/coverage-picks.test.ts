/**
 * A coverage plan's picks are stored under a name of the activity attempt's own (pages are written once): a retried
 * plan, which may differ, never reads back the picks of the attempt before it. MockActivityEnvironment, with a stub
 * Temporal client that records the page workflows started.
 */
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { storePicks } from '../../../src/activities/coverage';
import type { CoveragePlanRecord, PlanCoverageInput } from '../../../src/shared/coverage-types';

const input = { batchId: 'b1', taskQueue: 'q' } as PlanCoverageInput;

function recordingClient() {
  const started: string[] = [];
  const client = {
    workflow: {
      async start(_type: string, options: { workflowId: string }) {
        started.push(options.workflowId);
      },
    },
    withAbortSignal: <T>(_signal: AbortSignal, fn: () => T) => fn(),
  } as unknown as Client;
  return { client, started };
}

test('each attempt stores its picks in pages of its own', async () => {
  const plan = (item: string) =>
    ({ picks: [{ collection: 'c', item }] }) as unknown as Parameters<typeof storePicks>[1];
  const stored: CoveragePlanRecord[] = [];
  const pages: string[][] = [];
  for (const attempt of [1, 2]) {
    const { client, started } = recordingClient();
    stored.push(
      await new MockActivityEnvironment({ attempt }, { client }).run(() => storePicks(input, plan(`i${attempt}`))),
    );
    pages.push(started);
  }
  expect(stored[0].picks.name).not.toBe(stored[1].picks.name);
  expect(pages[0]).toHaveLength(1);
  expect(pages[1]).toHaveLength(1);
  expect(pages[0][0]).not.toBe(pages[1][0]);
});
