/**
 * Items a coverage plan knows owned only by their claims cover the part their purchase bought, read from that
 * purchase's start; one past the namespace's retention (NOT_FOUND) counts as its whole scene instead of failing the
 * plan at every retry. MockActivityEnvironment with a stub Temporal client.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import { readBoughtParts, type Ownership } from '../../../src/activities/ownership';

const part = {
  type: 'Polygon' as const,
  coordinates: [
    [
      [10, 45],
      [10.1, 45],
      [10.1, 45.1],
      [10, 45],
    ],
  ],
};
const inputs: Record<string, unknown> = {
  p1: { purchaseId: 'p1', items: [{ collection: 'c', item: 'clipped', geometry: part, projectId: 'x' }] },
};

const client = {
  withAbortSignal: <R>(_signal: AbortSignal, call: () => Promise<R>) => call(),
  options: { namespace: 'default', loadedDataConverter: { payloadConverter: defaultPayloadConverter } },
  workflowService: {
    async getWorkflowExecutionHistory({ execution }: { execution: { workflowId: string } }) {
      const input = inputs[execution.workflowId];
      if (!input)
        throw Object.assign(new Error('5 NOT_FOUND: workflow not found'), { code: 5, details: '', metadata: {} });
      const payloads = [defaultPayloadConverter.toPayload(input)];
      return { history: { events: [{ workflowExecutionStartedEventAttributes: { input: { payloads } } }] } };
    },
  },
} as unknown as Client;

test('an owned item covers the part its purchase bought; one whose purchase is gone counts whole, no failure', async () => {
  const ownership: Ownership = { owned: new Map(), ownedParts: new Map(), inFlight: new Map(), unknown: 'no list' };
  await new MockActivityEnvironment({}, { client }).run(() =>
    readBoughtParts(ownership, [
      { key: 'c/clipped', holder: 'p1' },
      { key: 'c/old', holder: 'past-retention' },
    ]),
  );
  expect(ownership.ownedParts.get('c/clipped')).toEqual(part);
  expect(ownership.ownedParts.has('c/old')).toBe(false);
});
