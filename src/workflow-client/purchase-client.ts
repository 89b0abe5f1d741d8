/**
 * Starting and following purchases through the Temporal client; shared by `dcp`, the demo and benchmarks.
 * The workflow id is the purchase key: a running purchase is attached to, a finished one is reported,
 * never bought again.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import { statusQuery } from '../shared/purchase-messages';
import { WORKFLOW_TYPE } from '../shared/workflow-types';
import type { PurchaseInput, PurchaseResult, PurchaseStatus } from '../shared/purchase-types';
import { purchaseItemsValue } from '../shared/purchase-groups';
import { BatchIdKey, OrganisationIdKey, PurchaseItemsKey, PurchaseStageKey } from '../shared/search-attributes';
import { followWorkflow } from './follow-workflow';
import { startOnce, type StartedOnce } from './start-once';
import type { purchaseWorkflow } from '../workflows/purchase';

export type PurchaseHandle = WorkflowHandle<typeof purchaseWorkflow>;

export type StartedPurchase = StartedOnce<typeof purchaseWorkflow>;

export function startPurchase(
  client: Client,
  options: { taskQueue: string; organisationId: number },
  input: PurchaseInput,
): Promise<StartedPurchase> {
  const typedSearchAttributes: ConstructorParameters<typeof TypedSearchAttributes>[0] = [
    { key: PurchaseStageKey, value: 'VALIDATING' },
    { key: OrganisationIdKey, value: String(options.organisationId) },
    { key: PurchaseItemsKey, value: purchaseItemsValue(input.items) },
  ];
  if (input.batchId) typedSearchAttributes.push({ key: BatchIdKey, value: input.batchId });
  return startOnce<typeof purchaseWorkflow>(client, WORKFLOW_TYPE.purchase, {
    workflowId: input.purchaseId,
    taskQueue: options.taskQueue,
    args: [input],
    typedSearchAttributes,
  });
}

/** Waits for the result, calling onStatus whenever the stage line changes (polled with the status query). */
export async function followPurchase(
  handle: PurchaseHandle,
  onStatus: (status: PurchaseStatus) => void,
  intervalMs = 500,
): Promise<PurchaseResult> {
  let last = '';
  const onChange = (status: PurchaseStatus) => {
    const key = JSON.stringify([status.stage, status.orderStatus, status.polls, status.lastError]);
    if (key !== last) onStatus(status);
    last = key;
  };
  return followWorkflow(handle.result(), () => handle.query(statusQuery), onChange, intervalMs);
}
