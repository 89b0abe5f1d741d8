/**
 * Finds the purchase that waits on a DataCosmos order (by its `DataCosmosOrderId` search attribute) and signals it
 * paid. A listener serves one DataCosmos target: it looks only at purchases on that target's task queue, so a notice
 * for one API's order never reaches a purchase of another (order ids of two APIs may coincide).
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { paymentCompletedSignal } from '../shared/purchase-messages';
import { WORKFLOW_TYPE } from '../shared/workflow-types';
import { DataCosmosOrderIdKey } from '../shared/search-attributes';

export type SignalOutcome =
  { outcome: 'signalled'; purchaseId: string } | { outcome: 'closed'; purchaseId: string } | { outcome: 'unknown' };

export type PaymentSignaller = (orderId: string, purchaseHint?: string | null) => Promise<SignalOutcome>;

export function temporalPaymentSignaller(client: Client, taskQueue: string): PaymentSignaller {
  return async (orderId, purchaseHint) => {
    const found = await findByOrderId(client, taskQueue, orderId);
    // Visibility lags a moment behind a purchase that has just recorded its order: the event's own purchase id, when it
    // names a running purchase of this very order (read from the workflow itself), is as good.
    const purchaseId =
      found.running ??
      (purchaseHint && (await runsOrder(client, taskQueue, purchaseHint, orderId)) ? purchaseHint : undefined);
    if (purchaseId === undefined)
      return found.closed ? { outcome: 'closed', purchaseId: found.closed } : { outcome: 'unknown' };
    try {
      await client.workflow.getHandle(purchaseId).signal(paymentCompletedSignal, orderId);
      return { outcome: 'signalled', purchaseId };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { outcome: 'closed', purchaseId };
      throw err;
    }
  };
}

async function findByOrderId(
  client: Client,
  taskQueue: string,
  orderId: string,
): Promise<{ running?: string; closed?: string }> {
  // The order id was checked to hold only id characters, and the queue is built from settings, so quoting is safe.
  const query = `WorkflowType = '${WORKFLOW_TYPE.purchase}' AND TaskQueue = '${taskQueue}' AND DataCosmosOrderId = '${orderId}'`;
  let closed: string | undefined;
  for await (const wf of client.workflow.list({ query, pageSize: 10 })) {
    if (wf.status.name === 'RUNNING') return { running: wf.workflowId };
    closed ??= wf.workflowId;
  }
  return { closed };
}

async function runsOrder(client: Client, taskQueue: string, purchaseId: string, orderId: string): Promise<boolean> {
  try {
    const description = await client.workflow.getHandle(purchaseId).describe();
    return (
      description.status.name === 'RUNNING' &&
      description.taskQueue === taskQueue &&
      description.typedSearchAttributes.get(DataCosmosOrderIdKey) === orderId
    );
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
