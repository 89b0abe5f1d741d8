/**
 * `dcp cancel --batch ID`: a batch workflow is asked to stop (it cancels its own purchases cleanly); purchases
 * tagged with a batch id but started outside a batch workflow (`dcp buy --batch`) are each sent `cancel`.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { batchCancelSignal } from '../shared/batch-messages';
import { WORKFLOW_TYPE } from '../shared/workflow-types';
import { cancelSignal } from '../shared/purchase-messages';
import { CliError, ExitCode } from '../shared/errors';
import { purchaseListQuery } from './list';

export interface BatchCancellation {
  /** True when a running batch workflow was told to cancel; false when its purchases were cancelled one by one. */
  viaBatchWorkflow: boolean;
  /** Running purchases of the batch asked to cancel. */
  purchases: number;
}

/** Purchases are looked for on `taskQueue` only: the DataCosmos target of these settings. */
export async function cancelBatch(
  client: Client,
  taskQueue: string,
  batchId: string,
  reason?: string,
): Promise<BatchCancellation> {
  const running = await runningPurchaseIds(client, taskQueue, batchId);
  if (await isRunningBatchWorkflow(client, batchId)) {
    await client.workflow.getHandle(batchId).signal(batchCancelSignal, reason);
    return { viaBatchWorkflow: true, purchases: running.length };
  }
  if (running.length === 0) {
    throw new CliError(`no running batch or running purchase with batch id ${batchId}`, ExitCode.USAGE);
  }
  const sent = await Promise.all(running.map((id) => signalIfRunning(client, id, reason)));
  return { viaBatchWorkflow: false, purchases: sent.filter(Boolean).length };
}

async function isRunningBatchWorkflow(client: Client, batchId: string): Promise<boolean> {
  try {
    const description = await client.workflow.getHandle(batchId).describe();
    return description.type === WORKFLOW_TYPE.batch && description.status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

async function runningPurchaseIds(client: Client, taskQueue: string, batchId: string): Promise<string[]> {
  const ids: string[] = [];
  const query = purchaseListQuery({ batch: batchId, running: true, taskQueue });
  for await (const wf of client.workflow.list({ query })) {
    ids.push(wf.workflowId);
  }
  return ids;
}

/** A purchase that ended between the listing and the signal is not counted. */
async function signalIfRunning(client: Client, purchaseId: string, reason?: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(purchaseId).signal(cancelSignal, reason);
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
