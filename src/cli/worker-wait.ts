/**
 * A running purchase that no worker serves: its DataCosmos target has task queues of its own, and nothing polls
 * them (no worker configured for that target runs, or it died). `dcp status` and `dcp buy` say so, with what to
 * do, instead of waiting on a status query that nobody answers.
 */
import { isGrpcDeadlineError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import { PurchaseStageKey } from '../shared/search-attributes';
import { GrpcStatus, hasGrpcStatus } from '../workflow-client/grpc-status';
import { queuePollers } from '../workflow-client/task-queue-pollers';
import { note } from './output';

export interface WorkerWait {
  purchaseId: string;
  /** The stage the purchase last published (its search attribute), as far as Temporal's visibility knows. */
  stage: string;
  waitingForWorker: { taskQueue: string; reason: string };
}

/** How long a status query may wait for a worker before the purchase is reported as waiting for one. */
export const STATUS_QUERY_DEADLINE_MS = 10_000;
/** How long it may wait when the server has seen no poller on the queue (a worker may still answer). */
export const UNSEEN_WORKER_QUERY_DEADLINE_MS = 2_000;

/** Why no worker serves this queue now, or null when one polls it. */
export async function missingWorker(client: Client, taskQueue: string): Promise<string | null> {
  const pollers = await queuePollers(client, taskQueue);
  return pollers.length > 0 ? null : `no worker polls task queue ${taskQueue}`;
}

/**
 * A status query that no worker answered: it ran out of time (gRPC reports its deadline as DEADLINE_EXCEEDED, or as
 * CANCELLED when the client gives up on the call), or the server refused it at once because no worker polled the
 * queue within its window (FAILED_PRECONDITION "no poller seen for task queue recently").
 */
export function isUnansweredQuery(err: unknown): boolean {
  return isGrpcDeadlineError(err) || hasGrpcStatus(err, GrpcStatus.CANCELLED, GrpcStatus.FAILED_PRECONDITION);
}

export function workerWait(description: WorkflowExecutionDescription, reason: string): WorkerWait {
  return {
    purchaseId: description.workflowId,
    stage: description.typedSearchAttributes.get(PurchaseStageKey) ?? 'VALIDATING',
    waitingForWorker: { taskQueue: description.taskQueue, reason },
  };
}

/** The text `dcp status` prints; `ownQueue` is the queue of the target this dcp is configured for. */
export function formatWorkerWait(wait: WorkerWait, ownQueue: string): string {
  const { taskQueue, reason } = wait.waitingForWorker;
  return [
    `purchase ${wait.purchaseId}: waiting for a worker (last stage ${wait.stage})`,
    `  ${reason}`,
    taskQueue === ownQueue
      ? `  start one with these settings: \`dcp worker\` (or \`dcp dev\` for the local stack); check with \`dcp doctor\``
      : `  it belongs to another DataCosmos target than these settings (${ownQueue}): start \`dcp worker\` with that target's settings`,
  ].join('\n');
}

/** After a start: a note on stderr when no worker serves the target yet (the work waits for one). */
export async function noteIfNoWorker(client: Client, taskQueue: string, what: string): Promise<void> {
  const missing = await missingWorker(client, taskQueue);
  if (missing !== null) {
    note(`${missing}: ${what} waits until a worker configured for this DataCosmos target runs (\`dcp doctor\` checks)`);
  }
}
