/**
 * Product metrics of a worker, served with the Temporal SDK's own on the worker's Prometheus endpoint
 * (METRICS_PORT): DataCosmos calls by endpoint and status, and activity retries. Purchases by end state,
 * spend by currency and payment waits are counted by the workflow itself (src/workflows/purchase.ts).
 */
import type { MetricMeter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { RequestEvent } from '../datacosmos';
import { METRIC } from '../shared/metric-names';

/** Counts and times every DataCosmos request; pass as the client's `onRequest`. */
export function datacosmosRequestMetrics(meter: MetricMeter): (event: RequestEvent) => void {
  const requests = meter.createCounter(
    METRIC.datacosmosRequests,
    'requests',
    'DataCosmos API requests by endpoint and status',
  );
  const duration = meter.createHistogram(
    METRIC.datacosmosRequestDuration,
    'float',
    'ms',
    'DataCosmos API request duration',
  );
  return (event) => {
    const tags = { endpoint: event.endpoint, status: String(event.status) };
    requests.add(1, tags);
    duration.record(event.durationMs, { endpoint: event.endpoint });
  };
}

/** Counts activity attempts after the first, by activity type: retries that faults and outages cause. */
export function activityRetryMetrics(meter: MetricMeter): ActivityInterceptorsFactory {
  const retries = meter.createCounter(METRIC.activityRetries, 'attempts', 'activity attempts after the first');
  return (ctx) => ({
    inbound: {
      execute(input, next) {
        if (ctx.info.attempt > 1) retries.add(1, { activity: ctx.info.activityType });
        return next(input);
      },
    },
  });
}
