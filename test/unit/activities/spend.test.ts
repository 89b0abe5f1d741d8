/**
 * The reservation's calls to the Temporal server, run in the SDK's MockActivityEnvironment with a stub client. A
 * worker asks its ledger whether it holds a limit once for many purchases (one question at a time, its answer kept
 * 2 s from when it was asked): without a limit a reservation is a signal, with one the update.
 */
import type { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSpendActivities, LIMIT_ANSWER_MEMORY_MS } from '../../../src/activities/spend';

const scope = { taskQueue: 'datacosmos-purchase/1001@api.example', organisationId: 1001 };

/** A client whose ledger holds `ledger.limits` limits; it records the kind of every call. */
function stubClient(ledger: { limits: number }) {
  const calls: string[] = [];
  const workflow = {
    getHandle: () => ({
      async query() {
        calls.push('query');
        await Promise.resolve();
        return ledger.limits;
      },
    }),
    async signalWithStart() {
      calls.push('signal');
    },
    async executeUpdateWithStart() {
      calls.push('update');
      return { granted: true };
    },
  };
  const client = { workflow, withAbortSignal: <T>(_signal: AbortSignal, fn: () => T) => fn() };
  return { client: client as unknown as Client, calls };
}

let now = Date.parse('2026-12-05T10:00:00Z');
beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
afterEach(() => jest.restoreAllMocks());

function reserver(client: Client) {
  const activities = createSpendActivities({});
  return (holder: string, override?: boolean) =>
    new MockActivityEnvironment(undefined, { client }).run(() =>
      activities.reserveSpend({
        ...scope,
        holder,
        amount: '10.00',
        currency: 'EUR',
        contractId: 5001,
        scheduleId: null,
        ...(override ? { override } : {}),
      }),
    );
}

test('without a limit, purchases at once share one question and each sends a signal', async () => {
  const { client, calls } = stubClient({ limits: 0 });
  const reserve = reserver(client);
  const answers = await Promise.all(['p1', 'p2', 'p3'].map((p) => reserve(p)));
  expect(answers).toEqual([{ granted: true }, { granted: true }, { granted: true }]);
  expect(calls).toEqual(['query', 'signal', 'signal', 'signal']);
});

test('an answer is kept 2 s from when it was asked: a limit set or removed then counts from then on', async () => {
  const ledger = { limits: 0 };
  const { client, calls } = stubClient(ledger);
  const reserve = reserver(client);
  await reserve('p1');
  ledger.limits = 1;
  now += LIMIT_ANSWER_MEMORY_MS - 1;
  await reserve('p2');
  expect(calls).toEqual(['query', 'signal', 'signal']);
  now += 1;
  await reserve('p3');
  await reserve('p4');
  expect(calls.slice(3)).toEqual(['query', 'update', 'update']);
  ledger.limits = 0;
  now += LIMIT_ANSWER_MEMORY_MS;
  await reserve('p5');
  expect(calls.slice(6)).toEqual(['query', 'signal']);
});

test('a failed question is asked again by the next purchase', async () => {
  const { client, calls } = stubClient({ limits: 0 });
  const handle = client.workflow.getHandle('x');
  let failures = 1;
  const query = handle.query.bind(handle);
  (client.workflow as unknown as { getHandle: () => unknown }).getHandle = () => ({
    async query() {
      if (failures-- > 0) {
        calls.push('query failed');
        throw new Error('consistent query buffer is full');
      }
      return query(undefined as never);
    },
  });
  const reserve = reserver(client);
  await expect(reserve('p1')).rejects.toThrow('buffer is full');
  await reserve('p2');
  expect(calls).toEqual(['query failed', 'query', 'signal']);
});

test('an approved reservation over a limit is always the update', async () => {
  const { client, calls } = stubClient({ limits: 0 });
  await reserver(client)('p1', true);
  expect(calls).toEqual(['update']);
});
