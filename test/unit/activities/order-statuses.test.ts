/**
 * The order reads of the claim registries' and spend ledgers' checks, run in the SDK's MockActivityEnvironment with a
 * stub DataCosmos client: one order that cannot be read leaves that order out and never fails the others' answer
 * (a failing attempt, retried for ever, would keep the registry or ledger waiting on it from continuing as new).
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createClaimActivities } from '../../../src/activities/claims';
import type { DataCosmosClient } from '../../../src/datacosmos';
import type { Order } from '../../../src/datacosmos/api-schemas';
import { responseError } from '../../../src/datacosmos/classify';

const read = { endpoint: 'order_get' as const, method: 'GET', unsafeToRepeat: false };

function stubClient(answers: Record<string, string | Error>) {
  return {
    async getOrder(id: string) {
      const answer = answers[id];
      if (answer instanceof Error) throw answer;
      return { id, status: answer } as Order;
    },
  } as unknown as DataCosmosClient;
}

test('an order whose read fails, retryably or for good, is left out; the others are read', async () => {
  const client = stubClient({
    unavailable: responseError(read, 503, '', '0'),
    paid: 'PAID',
    gone: responseError(read, 404, '', undefined),
    cancelled: 'CANCELLED',
  });
  const { readOrderStatuses } = createClaimActivities({ client });
  const statuses = await new MockActivityEnvironment().run(() =>
    readOrderStatuses({ orderIds: ['unavailable', 'paid', 'gone', 'cancelled'] }),
  );
  expect(statuses).toEqual({ paid: 'PAID', cancelled: 'CANCELLED' });
});
