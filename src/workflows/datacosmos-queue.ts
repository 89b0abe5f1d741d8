/**
 * Where a workflow schedules its DataCosmos activities: the DataCosmos task queue beside its own, whose rate
 * limit holds for the whole fleet.
 */
import { workflowInfo } from '@temporalio/workflow';
import { datacosmosTaskQueue } from '../shared/task-queues';

export function datacosmosQueueOption(): { taskQueue: string } {
  return { taskQueue: datacosmosTaskQueue(workflowInfo().taskQueue) };
}
