/**
 * Outbound notifications of pipelines: the events a purchase or a batch reports to the URLs it was given (`--notify`)
 * and to the worker's default (NOTIFY_URL), their bodies and ids. Pure types and rules: the workflows build the body,
 * a child workflow's activity signs and sends it (src/activities/notify.ts). docs/notification.schema.json describes
 * the body; docs/batches.md the events.
 */
import type { RetryPolicy } from '@temporalio/common';

export const NOTIFY_EVENTS = [
  'payment_link_ready',
  'payment_deadline_near',
  'purchase_ended',
  'needs_attention',
  'batch_ended',
  'coverage_reached',
] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const NOTIFY_SIGNATURE_HEADER = 'x-dcp-signature';
/** The header that repeats the body's event id, for receivers that de-duplicate before parsing. */
export const NOTIFY_EVENT_ID_HEADER = 'x-dcp-event-id';

/** `--notify` URLs one purchase or batch may carry. */
export const MAX_NOTIFY_URLS = 5;

/** What the body of every event holds; `facts` are the event's own (docs/notification.schema.json). */
export interface NotificationBody {
  /** Stable across retries and replays: receivers de-duplicate on it. Equal to the sending workflow's id. */
  eventId: string;
  type: NotifyEvent;
  /** When the purchase or batch saw it happen (workflow time, ISO 8601). */
  occurredAt: string;
  purchaseId?: string;
  batchId?: string;
  facts: Record<string, unknown>;
}

/** The input of one notification workflow: the body, and where to send it besides the worker's default. */
export interface NotificationInput {
  body: NotificationBody;
  /** The purchase's or batch's own `--notify` URLs. */
  urls: string[];
  /** Whether the worker had a default URL when the event happened: the activity resolves it (it never enters history). */
  toDefault: boolean;
}

/** A delivery retries for a day, with backoff up to 10 minutes; the purchase never waits for it. */
export const NOTIFY_RETRY: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10m' };
export const NOTIFY_SCHEDULE_TO_CLOSE = '24h';
export const NOTIFY_ATTEMPT_TIMEOUT = '30s';

/** `notify/<purchase or batch id>/<event>[-<n>]`: the event id, and the id of the workflow that sends it. */
export function notificationId(subjectId: string, type: NotifyEvent, suffix?: string): string {
  return `notify/${subjectId}/${type}${suffix ? `-${suffix}` : ''}`;
}

/** The prefix of every notification id of a purchase or batch (`dcp status` lists those still retrying). */
export function notificationPrefix(subjectId: string): string {
  return `notify/${subjectId}/`;
}

/** How long before the payment deadline `payment_deadline_near` is sent: a day, or half a window under two days. */
export function deadlineNearMs(paymentWindowMs: number): number {
  return Math.min(24 * 3600_000, Math.floor(paymentWindowMs / 2));
}

/** Problems with `--notify` URLs: each must be http(s), and at most MAX_NOTIFY_URLS. */
export function notifyUrlProblems(urls: readonly string[] | undefined): string[] {
  if (urls === undefined) return [];
  const problems = urls
    .filter((url) => !/^https?:\/\/[^\s/?#]+[^\s]*$/.test(url))
    .map((url) => `notify URL ${JSON.stringify(url)} is not an http(s) URL`);
  if (urls.length > MAX_NOTIFY_URLS) problems.push(`at most ${MAX_NOTIFY_URLS} notify URLs, not ${urls.length}`);
  return problems;
}
