/** Names and histogram buckets of the product's metrics (Prometheus, on the worker's METRICS_PORT). */
export const METRIC = {
  purchases: 'dcp_purchases',
  paidOrderTotal: 'dcp_paid_order_total',
  paymentWait: 'dcp_payment_wait',
  spendLimit: 'dcp_spend_limit',
  datacosmosRequests: 'dcp_datacosmos_requests',
  datacosmosRequestDuration: 'dcp_datacosmos_request_duration',
  activityRetries: 'dcp_activity_retries',
  notificationFailures: 'dcp_notification_failures',
} as const;

/** Buckets that fit each histogram (the SDK's defaults suit milliseconds of task latency only). */
export const HISTOGRAM_BUCKETS: Record<string, number[]> = {
  [METRIC.datacosmosRequestDuration]: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000],
  [METRIC.paymentWait]: [1, 10, 60, 300, 900, 3600, 14400, 43200, 86400, 259200, 604800],
  [METRIC.paidOrderTotal]: [10, 50, 100, 500, 1000, 5000, 10000, 50000, 100000, 500000],
};
