/** Starting a redelivery (`dcp redeliver`) and waiting for it: a workflow of its own on the purchase's target queue. */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { ItemDelivery, RedeliveryInput } from '../shared/delivery-types';
import { WORKFLOW_TYPE } from '../shared/workflow-types';
import type { redeliveryWorkflow } from '../workflows/redelivery';

/** Runs the redelivery to its end: every item's delivery. Its workflow id is `<PURCHASE_ID>-redeliver-<random>`. */
export async function runRedelivery(
  client: Client,
  taskQueue: string,
  input: RedeliveryInput,
): Promise<ItemDelivery[]> {
  const handle = await client.workflow.start<typeof redeliveryWorkflow>(WORKFLOW_TYPE.redelivery, {
    workflowId: `${input.purchaseId}-redeliver-${randomUUID().slice(0, 8)}`,
    taskQueue,
    args: [input],
  });
  return handle.result();
}
