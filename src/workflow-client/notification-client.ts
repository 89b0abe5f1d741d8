/**
 * Notifications still being retried: a receiver that keeps failing shows in `dcp status` as the notification
 * workflows of the purchase or batch that are still running, with their activity's attempt and last failure.
 */
import type { Client } from '@temporalio/client';
import { notificationPrefix } from '../shared/notification-types';
import { WORKFLOW_TYPE } from '../shared/workflow-types';

export interface RetryingNotification {
  eventId: string;
  /** The attempt being made or waited for, of the receiver that has failed most. */
  attempt: number;
  lastFailure: string | null;
  nextAttemptAt: string | null;
}

/** The notifications of this purchase or batch that have failed at least once and are still being retried. */
export async function retryingNotifications(client: Client, subjectId: string): Promise<RetryingNotification[]> {
  const query =
    `WorkflowType = '${WORKFLOW_TYPE.notification}' AND ExecutionStatus = 'Running' ` +
    `AND WorkflowId STARTS_WITH '${notificationPrefix(subjectId)}'`;
  const found: RetryingNotification[] = [];
  for await (const execution of client.workflow.list({ query })) {
    const description = await client.workflow.getHandle(execution.workflowId).describe();
    const pending = (description.raw.pendingActivities ?? []).filter((activity) => (activity.attempt ?? 1) > 1);
    if (pending.length === 0) continue;
    const worst = pending.reduce((a, b) => ((b.attempt ?? 0) > (a.attempt ?? 0) ? b : a));
    const next = worst.nextAttemptScheduleTime?.seconds;
    found.push({
      eventId: execution.workflowId,
      attempt: worst.attempt ?? 1,
      lastFailure: worst.lastFailure?.message ?? null,
      nextAttemptAt: next == null ? null : new Date(Number(next) * 1000).toISOString(),
    });
  }
  return found.sort((a, b) => a.eventId.localeCompare(b.eventId));
}

/** `dcp status` lines for them: none when every notification got through. */
export function formatRetryingNotifications(retrying: RetryingNotification[]): string[] {
  return retrying.map(
    (n) =>
      `  notification ${n.eventId}: not delivered yet, attempt ${n.attempt}` +
      `${n.lastFailure ? `: ${n.lastFailure}` : ''}${n.nextAttemptAt ? ` (next try ${n.nextAttemptAt})` : ''}`,
  );
}
