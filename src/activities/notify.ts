/**
 * Outbound notifications: the worker's part. A workflow hands over the event body and its `notify` URLs; the worker
 * adds its default URL (NOTIFY_URL) and signs with its secret (NOTIFY_SECRET), so neither enters a history. Each
 * POST that fails throws, to be retried with backoff by the notification workflow's retry policy, and is counted.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { signatureHeader } from '../signature/hmac-signature';
import { METRIC } from '../shared/metric-names';
import { NOTIFY_EVENT_ID_HEADER, NOTIFY_SIGNATURE_HEADER, type NotificationBody } from '../shared/notification-types';
import { cancellation } from './failures';

export interface NotifyDependencies {
  /** NOTIFY_URL: where every purchase's and batch's events go, besides their own URLs. */
  defaultUrl?: string;
  /** NOTIFY_SECRET: the HMAC-SHA256 key of the signatures. */
  secret?: string;
  /** Per POST (default 10 s). */
  timeoutMs?: number;
}

export function createNotifyActivities(deps: { notify?: NotifyDependencies }) {
  const notify = deps.notify ?? {};
  return {
    /** Whether this worker has a default notification URL: asked once per run by purchases and batches. */
    async notifyDefault(): Promise<boolean> {
      return notify.defaultUrl !== undefined;
    },

    /**
     * Signs and posts one event to one receiver (`url: null`: the worker's default); any reply but 2xx fails, a
     * redirect too (it is not followed).
     */
    async postNotification(input: { body: NotificationBody; url: string | null }): Promise<void> {
      const url = input.url ?? notify.defaultUrl;
      const log = Context.current().log;
      if (url === undefined) {
        log.warn('no default notification URL on this worker any more: event not sent', {
          eventId: input.body.eventId,
        });
        return;
      }
      const receiver = input.url === null ? 'default' : new URL(url).host;
      const about = { eventId: input.body.eventId, receiver };
      try {
        if (!notify.secret)
          throw ApplicationFailure.retryable('NOTIFY_SECRET is not set on this worker', 'NotifySecret');
        const text = JSON.stringify(input.body);
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [NOTIFY_SIGNATURE_HEADER]: signatureHeader(notify.secret, text),
            [NOTIFY_EVENT_ID_HEADER]: input.body.eventId,
          },
          body: text,
          signal: AbortSignal.any([cancellation(), AbortSignal.timeout(notify.timeoutMs ?? 10_000)]),
          // Followed, a 301 or 302 turns the POST into a GET without the event, whose 2xx would count as delivered;
          // a 307 or 308 would send the signed event wherever it points.
          redirect: 'manual',
        });
        await response.body?.cancel();
        if (response.status >= 300 && response.status < 400) {
          const to = response.headers.get('location') ?? 'nowhere';
          throw new Error(`the receiver redirected (HTTP ${response.status} to ${to}); give the URL it redirects to`);
        }
        if (!response.ok) throw new Error(`the receiver answered HTTP ${response.status}`);
      } catch (err) {
        Context.current()
          .metricMeter.createCounter(METRIC.notificationFailures, 'attempts', 'notification deliveries that failed')
          .add(1, { event: input.body.type, receiver });
        const message = `notification ${input.body.eventId} to ${receiver}: ${(err as Error).message}`;
        log.warn(message, { ...about, attempt: Context.current().info.attempt });
        throw ApplicationFailure.retryable(message, 'NotificationFailed');
      }
      log.info('notification sent', about);
    },
  };
}
