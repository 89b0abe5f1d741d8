/**
 * The task queue of the DataCosmos activities, beside the workflows' own queue. Its workers share one
 * server-side rate limit (maxTaskQueueActivitiesPerSecond), so the API budget holds for the whole fleet.
 */
export function datacosmosTaskQueue(workflowTaskQueue: string): string {
  return `${workflowTaskQueue}-datacosmos`;
}
