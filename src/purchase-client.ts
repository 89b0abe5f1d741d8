/**
 * Starting and following purchases through the Temporal client; shared by `dcp`, the demo and benchmarks.
 * The workflow id is the purchase key: a running purchase is attached to, a finished one is reported,
 * never bought again.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import { statusQuery } from './shared/purchase-messages';
import type { PurchaseInput, PurchaseResult, PurchaseStatus } from './shared/purchase-types';
import { itemKey } from './shared/batch-types';
import { BatchIdKey, OrganisationIdKey, PurchaseItemsKey, PurchaseStageKey } from './shared/search-attributes';
import type { purchaseWorkflow } from './workflows/purchase';

export type PurchaseHandle = WorkflowHandle<typeof purchaseWorkflow>;

export interface StartedPurchase {
  handle: PurchaseHandle;
  /** started: a new purchase; running: attached to one in flight; finished: it ended before, nothing new is bought. */
  origin: 'started' | 'running' | 'finished';
}

export async function startPurchase(
  client: Client,
  options: { taskQueue: string; organisationId: number },
  input: PurchaseInput,
): Promise<StartedPurchase> {
  const existing = await describeIfExists(client, input.purchaseId);
  if (existing === 'RUNNING') return { handle: client.workflow.getHandle(input.purchaseId), origin: 'running' };
  if (existing !== null) return { handle: client.workflow.getHandle(input.purchaseId), origin: 'finished' };
  const typedSearchAttributes: ConstructorParameters<typeof TypedSearchAttributes>[0] = [
    { key: PurchaseStageKey, value: 'VALIDATING' },
    { key: OrganisationIdKey, value: String(options.organisationId) },
    { key: PurchaseItemsKey, value: input.items.map(itemKey) },
  ];
  if (input.batchId) typedSearchAttributes.push({ key: BatchIdKey, value: input.batchId });
  try {
    const handle = await client.workflow.start<typeof purchaseWorkflow>('purchaseWorkflow', {
      workflowId: input.purchaseId,
      taskQueue: options.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes,
    });
    return { handle, origin: 'started' };
  } catch (err) {
    // Another client started or finished the same purchase between our look and our start.
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      return { handle: client.workflow.getHandle(input.purchaseId), origin: 'finished' };
    }
    throw err;
  }
}

/** The execution status name of the workflow with this id, or null when there is none. */
export async function describeIfExists(client: Client, workflowId: string): Promise<string | null> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** Waits for the result, calling onStatus whenever the stage line changes (polled with the status query). */
export async function followPurchase(
  handle: PurchaseHandle,
  onStatus: (status: PurchaseStatus) => void,
  intervalMs = 500,
): Promise<PurchaseResult> {
  let done = false;
  const result = handle.result().finally(() => {
    done = true;
  });
  const watch = (async () => {
    let last = '';
    while (!done) {
      const status = await handle.query(statusQuery).catch(() => null);
      if (status && !done) {
        const key = JSON.stringify([status.stage, status.orderStatus, status.polls, status.lastError]);
        if (key !== last) onStatus(status);
        last = key;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  const [outcome] = await Promise.all([result, watch]);
  return outcome;
}
