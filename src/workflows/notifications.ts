/**
 * Outbound notifications: a purchase or batch that has somewhere to send its events (its `notify` URLs, or the
 * worker's default URL) starts, per event, a small child workflow whose id is the event id. The child is abandoned
 * when its parent closes, so it goes on retrying for hours after the purchase ended, and the purchase never waits on
 * a receiver. The child's activity signs the body with the worker's secret and posts it (src/activities/notify.ts):
 * neither the secret nor the default URL enters a history.
 * Every new command is behind patched('notifications'), asked in the execution's first activation
 * (NOTIFICATIONS_AT_START_PATCH): executions started before it replay without.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setWorkflowOptions,
  startChild,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import {
  NOTIFY_ATTEMPT_TIMEOUT,
  NOTIFY_RETRY,
  NOTIFY_SCHEDULE_TO_CLOSE,
  notificationId,
  type NotificationInput,
  type NotifyEvent,
} from '../shared/notification-types';

import { versionedAs } from './versioning';

type Activities = ReturnType<typeof createActivities>;

/** Purchases and batches from this change on send notifications; older histories replay without. */
export const NOTIFICATIONS_PATCH = 'notifications';
/**
 * Executions from this change on decide in their first activation whether they notify. Decided at the first event,
 * the patch marker came right after a local activity (a checkout, a poll); when that activity's result arrived in a
 * workflow task of its own, a replay asked for the patch before it had seen the marker, found none, and failed on the
 * marker (a nondeterminism error: status queries and replay checks failed, and the run could not be resumed).
 */
export const NOTIFICATIONS_AT_START_PATCH = 'notifications-at-start';

/** One event to its receivers: one activity per URL (the worker's default is `null`), each retried on its own. */
export async function notificationWorkflow(input: NotificationInput): Promise<void> {
  const send = proxyActivities<Activities>({
    startToCloseTimeout: NOTIFY_ATTEMPT_TIMEOUT,
    scheduleToCloseTimeout: NOTIFY_SCHEDULE_TO_CLOSE,
    retry: NOTIFY_RETRY,
  });
  const targets: Array<string | null> = [...input.urls, ...(input.toDefault ? [null] : [])];
  await Promise.all(targets.map((url) => send.postNotification({ body: input.body, url })));
}

/** AUTO_UPGRADE: a delivery may retry for a day; it should not hold its build's workers that long. */
setWorkflowOptions(versionedAs('AUTO_UPGRADE'), notificationWorkflow);

/** The events of one purchase or batch. */
export class Notifier {
  private toDefault: Promise<boolean> | null = null;
  private readonly pending = new Set<Promise<void>>();
  /** Whether the run notifies, when decided at its start; null: decided at its first event (older executions). */
  private readonly enabled: boolean | null;

  /** Made in the execution's first activation (NOTIFICATIONS_AT_START_PATCH). */
  constructor(
    /** A purchase (with its batch, if any) or a batch. */
    private readonly subject: { purchaseId?: string; batchId?: string },
    private readonly urls: readonly string[] | undefined,
  ) {
    this.enabled = patched(NOTIFICATIONS_AT_START_PATCH) ? patched(NOTIFICATIONS_PATCH) : null;
  }

  /**
   * Whether this execution sends notifications (the patch; `notify` URLs, or a worker default, asked once per run
   * and recorded in the history as a local activity's result).
   */
  async active(): Promise<boolean> {
    if (!(this.enabled ?? patched(NOTIFICATIONS_PATCH))) return false;
    this.toDefault ??= proxyLocalActivities<Activities>({ startToCloseTimeout: '10s' }).notifyDefault();
    return (this.urls?.length ?? 0) > 0 || (await this.toDefault);
  }

  /**
   * Starts the child that sends this event, unless one with its id was ever started (a repeated event is dropped:
   * its id is the de-duplication key). Waits only for the child to start; `sent` resolves when it has.
   */
  send(type: NotifyEvent, facts: Record<string, unknown>, suffix?: string): Promise<void> {
    const sent = this.start(type, facts, suffix);
    this.pending.add(sent);
    const settled = () => void this.pending.delete(sent);
    sent.then(settled, settled);
    return sent;
  }

  /** Waits for every child started so far: before the parent ends or continues as new. */
  async drained(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async start(type: NotifyEvent, facts: Record<string, unknown>, suffix?: string): Promise<void> {
    if (!(await this.active())) return;
    const eventId = notificationId((this.subject.purchaseId ?? this.subject.batchId) as string, type, suffix);
    const input: NotificationInput = {
      body: { eventId, type, occurredAt: new Date().toISOString(), ...this.subject, facts },
      urls: [...(this.urls ?? [])],
      toDefault: await (this.toDefault as Promise<boolean>),
    };
    try {
      await startChild(notificationWorkflow, {
        workflowId: eventId,
        args: [input],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
}
