/**
 * Starting and following batches through the Temporal client; shared by `dcp batch`, schedules and tests.
 * The batch id is the workflow id: a running batch is attached to, a finished one is reported.
 */
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { describeIfExists } from './purchase-client';
import { progressQuery } from './shared/batch-messages';
import type { BatchInput, BatchProgress, BatchResult } from './shared/batch-types';
import { BatchIdKey, OrganisationIdKey } from './shared/search-attributes';
import type { batchPurchaseWorkflow } from './workflows/batch';

export type BatchHandle = WorkflowHandle<typeof batchPurchaseWorkflow>;

export interface StartedBatch {
  handle: BatchHandle;
  origin: 'started' | 'running' | 'finished';
}

export async function startBatch(
  client: Client,
  options: { taskQueue: string; organisationId: number },
  input: BatchInput,
): Promise<StartedBatch> {
  const existing = await describeIfExists(client, input.batchId);
  if (existing !== null) {
    return {
      handle: client.workflow.getHandle(input.batchId),
      origin: existing === 'RUNNING' ? 'running' : 'finished',
    };
  }
  try {
    const handle = await client.workflow.start<typeof batchPurchaseWorkflow>('batchPurchaseWorkflow', {
      workflowId: input.batchId,
      taskQueue: options.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [
        { key: BatchIdKey, value: input.batchId },
        { key: OrganisationIdKey, value: String(options.organisationId) },
      ],
    });
    return { handle, origin: 'started' };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return { handle: client.workflow.getHandle(input.batchId), origin: 'finished' };
    }
    throw err;
  }
}

/** Waits for the result, calling onProgress with the progress query every interval. */
export async function followBatch(
  handle: BatchHandle,
  onProgress: (progress: BatchProgress) => void,
  intervalMs = 500,
): Promise<BatchResult> {
  let done = false;
  const result = handle.result().finally(() => {
    done = true;
  });
  while (!done) {
    const progress = await handle.query(progressQuery).catch(() => null);
    if (progress && !done) onProgress(progress);
    await Promise.race([result.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, intervalMs))]);
  }
  return result;
}
