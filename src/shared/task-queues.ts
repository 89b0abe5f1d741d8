/**
 * The task queue of the DataCosmos activities, beside the workflows' own queue. Its workers share one
 * server-side rate limit (maxTaskQueueActivitiesPerSecond), so the API budget holds for the whole fleet.
 */
export function datacosmosTaskQueue(workflowTaskQueue: string): string {
  return `${workflowTaskQueue}-datacosmos`;
}

/**
 * The task queue of the claim registries of a purchase queue. Apart, so that their workflow tasks never wait for a
 * slot behind purchase workflow tasks that are themselves waiting on a claim (which would deadlock a busy worker).
 */
export function claimsTaskQueue(workflowTaskQueue: string): string {
  return `${workflowTaskQueue}-claims`;
}
