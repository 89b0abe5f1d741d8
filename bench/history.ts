/** History size: a credits purchase, and a payment wait long enough to continue as new. */
import { randomUUID } from 'node:crypto';
import { startPurchase } from '../src/workflow-client/purchase-client';
import type { ItemSupply } from '../harness/catalog';
import { ACCOUNT, type BenchStack } from './stack';

export async function creditsPurchaseEvents(stack: BenchStack, supply: ItemSupply, taskQueue: string): Promise<number> {
  const { handle } = await startPurchase(
    stack.client,
    { taskQueue: stack.queue(taskQueue), organisationId: ACCOUNT.organisationId },
    { purchaseId: `bench-history-${randomUUID()}`, items: supply.take(1) },
  );
  await handle.result();
  return (await handle.fetchHistory()).events?.length ?? 0;
}

/**
 * A payment wait long enough to continue as new at the default history limit. The dev server fires timers
 * about once a second at best, so a compressed week would make only a few dozen polls; instead this polls
 * every second for `seconds`, and reports the runs and the largest one. (A week polled every minute is about
 * 10,080 polls; every run holds at most about 136 polls whatever the wait.)
 */
export async function longWait(
  stack: BenchStack,
  supply: ItemSupply,
  taskQueue: string,
  seconds: number,
): Promise<{ seconds: number; polls: number; runs: number; largestRunEvents: number; end: string }> {
  const { handle } = await startPurchase(
    stack.client,
    { taskQueue: stack.queue(taskQueue), organisationId: ACCOUNT.organisationId },
    {
      purchaseId: `bench-wait-${randomUUID()}`,
      items: supply.take(1),
      paymentWindowMs: seconds * 1000,
      poll: { firstMs: 1000, factor: 1, capMs: 1000 },
    },
  );
  const result = await handle.result();
  let runs = 0;
  let largestRunEvents = 0;
  for await (const wf of stack.client.workflow.list({ query: `WorkflowId = "${handle.workflowId}"` })) {
    runs += 1;
    const history = await stack.client.workflow.getHandle(handle.workflowId, wf.runId).fetchHistory();
    largestRunEvents = Math.max(largestRunEvents, history.events?.length ?? 0);
  }
  return { seconds, polls: result.polls, runs, largestRunEvents, end: result.end };
}
