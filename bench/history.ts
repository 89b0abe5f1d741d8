/** History size: a credits purchase, and a week-long payment wait compressed 10,000x with the default schedule. */
import { randomUUID } from 'node:crypto';
import { startPurchase } from '../src/purchase-client';
import { DEFAULT_POLL } from '../src/shared/purchase-types';
import type { ItemSupply } from './catalog';
import { ACCOUNT, type BenchStack } from './stack';

const COMPRESSION = 10_000;
const WEEK_MS = 7 * 24 * 3600_000;

export async function creditsPurchaseEvents(stack: BenchStack, supply: ItemSupply, taskQueue: string): Promise<number> {
  const { handle } = await startPurchase(
    stack.client,
    { taskQueue, organisationId: ACCOUNT.organisationId },
    { purchaseId: `bench-history-${randomUUID()}`, items: supply.take(1) },
  );
  await handle.result();
  return (await handle.fetchHistory()).events?.length ?? 0;
}

/** The caller has set credits to 0, so the purchase waits for a payment that never comes and expires. */
export async function compressedWeekWait(
  stack: BenchStack,
  supply: ItemSupply,
  taskQueue: string,
): Promise<{ compression: number; polls: number; runs: number; largestRunEvents: number; end: string }> {
  const { handle } = await startPurchase(
    stack.client,
    { taskQueue, organisationId: ACCOUNT.organisationId },
    {
      purchaseId: `bench-week-${randomUUID()}`,
      items: supply.take(1),
      paymentWindowMs: WEEK_MS / COMPRESSION,
      poll: {
        firstMs: Math.max(1, Math.round(DEFAULT_POLL.firstMs / COMPRESSION)),
        factor: DEFAULT_POLL.factor,
        capMs: Math.round(DEFAULT_POLL.capMs / COMPRESSION),
      },
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
  return { compression: COMPRESSION, polls: result.polls, runs, largestRunEvents, end: result.end };
}
