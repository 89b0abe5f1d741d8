/**
 * The steps a purchase runs, each proxy typed by the activities it may call and named after what it does, with the
 * options that kind of step needs. Where the DataCosmos steps run depends on the worker (its placement, asked once
 * per run and recorded in the history, so a replay on any worker takes the same path).
 */
import { proxyActivities, proxyLocalActivities, type ActivityOptions } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { DOWNLOAD_RETRY, STEP_RETRY } from '../shared/retry-policies';
import { datacosmosQueueOption } from './datacosmos-queue';

type Activities = ReturnType<typeof createActivities>;

export type Placement = 'local' | 'queue';

/** The DataCosmos steps of a purchase. */
export interface DataCosmosSteps {
  /** Look-ups give up after a while: nothing has been bought yet, so FAILED is safe. */
  pricing: Pick<Activities, 'priceItems' | 'adoptOrder'>;
  /** Creating the order retries until it succeeds or fails for good: giving up could lose an order. */
  ordering: Pick<Activities, 'createOrderOnce'>;
  checkout: Pick<Activities, 'checkoutOrder'>;
  /** A poll that keeps failing is recorded and retried at the next poll; the deadline bounds the wait. */
  polling: Pick<Activities, 'getOrder'>;
}

/**
 * 'queue': every step an activity on the DataCosmos queue, whose rate limit is the fleet budget. 'local' (no
 * budget): pricing and the create on the workflow's own queue, where the server can hand the activity to the worker
 * with the workflow task's reply (eager dispatch), checkout and polls as local activities in the task that decided
 * them. Pricing and the create stay activities because each must end in a task where a cancel is seen before the
 * next step; checkout runs in the task that read the created order, after a cancel could be seen.
 */
export function datacosmosSteps(placement: Placement, timeoutMs: number): DataCosmosSteps {
  const options: ActivityOptions = { startToCloseTimeout: timeoutMs, retry: STEP_RETRY };
  const base = placement === 'queue' ? { ...options, ...datacosmosQueueOption() } : options;
  const ordering = proxyActivities<Activities>(base);
  const pricing = proxyActivities<Activities>({ ...base, scheduleToCloseTimeout: '10m' });
  if (placement === 'queue') {
    return {
      pricing,
      ordering,
      checkout: ordering,
      polling: proxyActivities<Activities>({ ...base, scheduleToCloseTimeout: '5m' }),
    };
  }
  return {
    pricing,
    ordering,
    checkout: proxyLocalActivities<Activities>(options),
    polling: proxyLocalActivities<Activities>({ ...options, scheduleToCloseTimeout: '5m' }),
  };
}

/** The contract look-up (cached per worker), in the workflow task: it saves a server round trip. */
export function contractLookup(timeoutMs: number): Pick<Activities, 'resolveContract'> {
  return proxyLocalActivities<Activities>({
    startToCloseTimeout: timeoutMs,
    retry: STEP_RETRY,
    scheduleToCloseTimeout: '10m',
  });
}

/**
 * Claims and spend reservations are updates sent through the Temporal client: as local activities no server round
 * trip schedules them. So is the worker's answer to where the DataCosmos steps run.
 */
export function claimSteps(): Pick<
  Activities,
  'claimItems' | 'settleClaims' | 'reserveSpend' | 'settleSpend' | 'datacosmosPlacement'
> {
  return proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry: STEP_RETRY });
}

/** Downloads heartbeat their bytes: a killed worker's download is retried (and resumed) elsewhere. */
export function deliverySteps(heartbeatTimeoutMs: number): Pick<Activities, 'deliverItems'> {
  return proxyActivities<Activities>({
    startToCloseTimeout: '2h',
    scheduleToCloseTimeout: '24h',
    heartbeatTimeout: heartbeatTimeoutMs,
    retry: DOWNLOAD_RETRY,
  });
}
