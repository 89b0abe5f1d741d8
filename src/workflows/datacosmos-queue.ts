/**
 * Where a workflow schedules its DataCosmos activities. Executions started since the patch use the DataCosmos
 * task queue, whose rate limit holds for the whole fleet; earlier ones keep the workflow's own queue on replay.
 */
import { patched, workflowInfo } from '@temporalio/workflow';
import { datacosmosTaskQueue } from '../shared/task-queues';

export function datacosmosQueueOption(): { taskQueue?: string } {
  return patched('datacosmos-task-queue') ? { taskQueue: datacosmosTaskQueue(workflowInfo().taskQueue) } : {};
}
