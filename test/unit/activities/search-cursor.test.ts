/**
 * A batch follows its search's cursor a chunk at a time, in the planning activity: a next cursor equal to the one it
 * just followed would have it read the same page for ever, so the step fails as the client's own paging does.
 * MockActivityEnvironment, with a stub DataCosmos client whose search echoes the cursor.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createBatchActivities } from '../../../src/activities/batch';
import { paidItemsMemory } from '../../../src/activities/ownership';
import type { DataCosmosClient } from '../../../src/datacosmos';

const searched: Array<string | undefined> = [];
const client = {
  async search(request: { cursor?: string }) {
    searched.push(request.cursor);
    return { items: [], nextCursor: request.cursor ?? 'c1' };
  },
} as unknown as DataCosmosClient;

test('a search page whose next cursor is the one just followed fails the planning step', async () => {
  const { planChunk } = createBatchActivities({ client, organisationId: 1001, paidItems: paidItemsMemory() });
  const plan = (cursor: string | null) =>
    new MockActivityEnvironment().run(() =>
      planChunk({ contractId: 5001, claimScope: 'q', search: { collections: ['c'], limit: 10, cursor } }),
    );
  await expect(plan('c1')).rejects.toThrow('stac_search: response repeats the cursor of an earlier page');
  expect(searched).toEqual(['c1']);
});
