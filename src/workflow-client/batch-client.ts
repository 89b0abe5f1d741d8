/**
 * Starting and following batches through the Temporal client; shared by `dcp batch`, schedules and tests.
 * The batch id is the workflow id: a running batch is attached to, a finished one is reported.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { progressQuery } from '../shared/batch-messages';
import type { BatchInput, BatchProgress, BatchResult } from '../shared/batch-types';
import { BatchIdKey, OrganisationIdKey } from '../shared/search-attributes';
import { followWorkflow } from './follow-workflow';
import { startOnce, type StartedOnce } from './start-once';
import type { batchPurchaseWorkflow } from '../workflows/batch';

export type BatchHandle = WorkflowHandle<typeof batchPurchaseWorkflow>;

export type StartedBatch = StartedOnce<typeof batchPurchaseWorkflow>;

export function startBatch(
  client: Client,
  options: { taskQueue: string; organisationId: number },
  input: BatchInput,
): Promise<StartedBatch> {
  return startOnce<typeof batchPurchaseWorkflow>(client, 'batchPurchaseWorkflow', {
    workflowId: input.batchId,
    taskQueue: options.taskQueue,
    args: [input],
    typedSearchAttributes: [
      { key: BatchIdKey, value: input.batchId },
      { key: OrganisationIdKey, value: String(options.organisationId) },
    ],
  });
}

/** Waits for the result, calling onProgress with the progress query every interval. */
export async function followBatch(
  handle: BatchHandle,
  onProgress: (progress: BatchProgress) => void,
  intervalMs = 500,
): Promise<BatchResult> {
  return followWorkflow(handle.result(), () => handle.query(progressQuery), onProgress, intervalMs);
}
