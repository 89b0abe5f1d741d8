/**
 * Where a batch's purchases spend their time, read from histories: how long a purchase took to start after the
 * batch asked for it, each of its activities (scheduled to closed), its own workflow tasks, its whole run, and how
 * long the batch took to start the next purchase once one ended. Means over a sample of the batch's purchases.
 */
import type { Client } from '@temporalio/client';
import { eventMs as ms, spans } from '../harness/history-spans';
import { round } from '../harness/stats';

export interface BatchTimeline {
  purchases: number;
  /** Mean ms per purchase: `start` (asked -> started), one entry per activity type, `workflow tasks`, `run`. */
  meanMs: Record<string, number>;
  /** Mean ms from a purchase's end to the next purchase the batch asked for. */
  refillMs: number;
  /** The batch's planning steps in its latest run: how many, and their mean ms (scheduled to closed). */
  planning: { chunks: number; meanMs: number };
}

/** The batch's latest run and up to `sample` of the purchases it started there. */
export async function batchTimeline(client: Client, batchId: string, sample = 20): Promise<BatchTimeline> {
  const parent = (await client.workflow.getHandle(batchId).fetchHistory()).events ?? [];
  const asked = new Map<string, number>();
  const started = new Map<string, number>();
  const ended: number[] = [];
  const askedTimes: number[] = [];
  for (const event of parent) {
    const initiated = event.startChildWorkflowExecutionInitiatedEventAttributes;
    if (initiated?.workflowId) {
      asked.set(initiated.workflowId, ms(event));
      askedTimes.push(ms(event));
    }
    const childStarted = event.childWorkflowExecutionStartedEventAttributes;
    if (childStarted?.workflowExecution?.workflowId) started.set(childStarted.workflowExecution.workflowId, ms(event));
    if (event.childWorkflowExecutionCompletedEventAttributes) ended.push(ms(event));
  }
  // Each end frees a slot: the next purchase asked for after it shows how quickly the batch fills it.
  const refills = ended.flatMap((end) => {
    const next = askedTimes.find((time) => time >= end);
    return next === undefined ? [] : [next - end];
  });
  const plans = spans(parent, (e) => e.activityTaskCompletedEventAttributes?.scheduledEventId).filter(
    ({ scheduled }) => scheduled.activityTaskScheduledEventAttributes?.activityType?.name === 'planChunk',
  );
  const planning = {
    chunks: plans.length,
    meanMs: plans.length ? round(plans.reduce((sum, plan) => sum + plan.ms, 0) / plans.length, 0) : 0,
  };
  const ids = [...asked.keys()];
  const step = Math.max(1, Math.floor(ids.length / sample));
  const chosen = ids.filter((_, index) => index % step === 0).slice(0, sample);
  const totals = new Map<string, number>();
  const add = (name: string, value: number) => totals.set(name, (totals.get(name) ?? 0) + value);
  for (const id of chosen) {
    const events = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    add('start', (started.get(id) ?? asked.get(id) ?? 0) - (asked.get(id) ?? 0));
    for (const { scheduled, ms: took } of spans(
      events,
      (e) =>
        e.activityTaskCompletedEventAttributes?.scheduledEventId ??
        e.activityTaskFailedEventAttributes?.scheduledEventId ??
        e.activityTaskTimedOutEventAttributes?.scheduledEventId,
    )) {
      add(scheduled.activityTaskScheduledEventAttributes?.activityType?.name ?? 'activity', took);
    }
    const tasks = spans(events, (e) => e.workflowTaskCompletedEventAttributes?.scheduledEventId);
    add(
      'workflow tasks',
      tasks.reduce((sum, task) => sum + task.ms, 0),
    );
    add('run', ms(events[events.length - 1]) - ms(events[0]));
  }
  const meanMs = Object.fromEntries([...totals].map(([name, total]) => [name, round(total / chosen.length, 0)]));
  const refillMs = refills.length ? round(refills.reduce((a, b) => a + b, 0) / refills.length, 0) : 0;
  return { purchases: chosen.length, meanMs, refillMs, planning };
}
