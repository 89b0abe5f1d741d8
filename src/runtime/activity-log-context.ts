/**
 * Every log line an activity writes names its purchase (`purchaseId`) and, for purchases of a batch and the
 * batch's own activities, the batch (`batchId`, from the header src/workflows/log-context.ts adds); a notification's
 * lines name the purchase or batch whose event it sends.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { BATCH_ID_HEADER } from '../shared/log-context';
import type { NotificationBody } from '../shared/notification-types';
import { WORKFLOW_TYPE } from '../shared/workflow-types';

export const activityLogContext: ActivityInterceptorsFactory = (ctx) => {
  let purchaseId =
    ctx.info.workflowType === WORKFLOW_TYPE.purchase ? ctx.info.workflowExecution?.workflowId : undefined;
  let batchId: string | undefined;
  return {
    inbound: {
      execute(input, next) {
        const header = input.headers[BATCH_ID_HEADER];
        if (header) batchId = defaultPayloadConverter.fromPayload<string>(header);
        if (ctx.info.workflowType === WORKFLOW_TYPE.notification) {
          // A notification is of a purchase or a batch: its body names them.
          const body = (input.args[0] as { body?: NotificationBody } | undefined)?.body;
          purchaseId = body?.purchaseId;
          batchId = body?.batchId;
        }
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
