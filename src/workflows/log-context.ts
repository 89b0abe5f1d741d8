/**
 * Workflow interceptors, bundled with the workflows: every activity a purchase or batch schedules carries its
 * batch id (the BatchId search attribute) in a header, so the activity's log lines can name the batch
 * (src/runtime/activity-log-context.ts). Headers are not part of what replay compares.
 */
import {
  defaultPayloadConverter,
  workflowInfo,
  type ActivityInput,
  type LocalActivityInput,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { BATCH_ID_HEADER } from '../shared/log-context';
import { BatchIdKey } from '../shared/search-attributes';

function withBatchId<T extends ActivityInput | LocalActivityInput>(input: T): T {
  const batchId = workflowInfo().typedSearchAttributes.get(BatchIdKey);
  if (!batchId) return input;
  return { ...input, headers: { ...input.headers, [BATCH_ID_HEADER]: defaultPayloadConverter.toPayload(batchId) } };
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity: (input, next) => next(withBatchId(input)),
      scheduleLocalActivity: (input, next) => next(withBatchId(input)),
    },
  ],
});
