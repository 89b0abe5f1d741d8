/** Times read from workflow histories: when an event happened, and how long from a scheduled event to its close. */
import type { WorkflowHandle } from '@temporalio/client';

export type HistoryEvent = NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number];

/** History numbers are Long objects or plain numbers, depending on how the history was read. */
export type HistoryNumber = number | { toNumber(): number } | null | undefined;

export const historyNumber = (value: HistoryNumber): number =>
  typeof value === 'number' ? value : value ? value.toNumber() : 0;

/** The event's time in epoch milliseconds. */
export function eventMs(event: HistoryEvent): number {
  const t = event.eventTime;
  return historyNumber(t?.seconds) * 1000 + (t?.nanos ?? 0) / 1e6;
}

export interface Span {
  scheduled: HistoryEvent;
  fromMs: number;
  toMs: number;
  ms: number;
}

/**
 * From each scheduled event to the event that closes it (`closes` gives the id of the event an event closes, e.g.
 * an activity's completion its scheduled event's id), in the order they closed.
 */
export function spans(events: HistoryEvent[], closes: (event: HistoryEvent) => HistoryNumber): Span[] {
  const byId = new Map(events.map((event) => [historyNumber(event.eventId), event]));
  const found: Span[] = [];
  for (const event of events) {
    const id = closes(event);
    const scheduled = id === null || id === undefined ? undefined : byId.get(historyNumber(id));
    if (!scheduled) continue;
    const [fromMs, toMs] = [eventMs(scheduled), eventMs(event)];
    found.push({ scheduled, fromMs, toMs, ms: toMs - fromMs });
  }
  return found;
}
