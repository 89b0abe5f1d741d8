/**
 * Who polls a task queue: the workers serving a DataCosmos target, as the server last saw them. `dcp status` says a
 * purchase waits for a worker when none polls its queue; `dcp doctor` shows the workers of the configured target.
 */
import type { Client } from '@temporalio/client';

export interface QueuePoller {
  /** The worker's identity: `pid@host datacosmos-purchase/VERSION` for this project's workers. */
  identity: string;
  lastAccessTime: Date | null;
}

// The API's enum values (temporal.api.enums.v1), which the client package does not re-export.
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPE_WORKFLOW = 1;
const TASK_QUEUE_TYPE_ACTIVITY = 2;

export type QueueKind = 'workflow' | 'activity';

/** The pollers the server has seen on this queue in the last few minutes (it forgets older ones). */
export async function queuePollers(
  client: Client,
  taskQueue: string,
  kind: QueueKind = 'workflow',
): Promise<QueuePoller[]> {
  const { pollers } = await client.workflowService.describeTaskQueue({
    namespace: client.options.namespace,
    taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
    taskQueueType: kind === 'workflow' ? TASK_QUEUE_TYPE_WORKFLOW : TASK_QUEUE_TYPE_ACTIVITY,
  });
  return (pollers ?? []).map((poller) => ({
    identity: poller.identity ?? '',
    lastAccessTime: poller.lastAccessTime?.seconds
      ? new Date(Number(poller.lastAccessTime.seconds) * 1000 + Math.floor((poller.lastAccessTime.nanos ?? 0) / 1e6))
      : null,
  }));
}
