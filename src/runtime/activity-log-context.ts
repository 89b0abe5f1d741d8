/**
 * Every log line an activity writes names its purchase (`purchaseId`) and, for purchases of a batch and the
 * batch's own activities, the batch (`batchId`, from the header src/workflows/log-context.ts adds).
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { BATCH_ID_HEADER } from '../shared/log-context';
import { WORKFLOW_TYPE } from '../shared/workflow-types';

export const activityLogContext: ActivityInterceptorsFactory = (ctx) => {
  const purchaseId =
    ctx.info.workflowType === WORKFLOW_TYPE.purchase ? ctx.info.workflowExecution?.workflowId : undefined;
  let batchId: string | undefined;
  return {
    inbound: {
      execute(input, next) {
        const header = input.headers[BATCH_ID_HEADER];
        if (header) batchId = defaultPayloadConverter.fromPayload<string>(header);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes(attributes, next) {
        return next({ ...attributes, ...(purchaseId ? { purchaseId } : {}), ...(batchId ? { batchId } : {}) });
      },
    },
  };
};
