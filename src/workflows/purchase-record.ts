/**
 * A purchase's record: its status, kept current as it moves through its stages, mirrored into search attributes
 * where it can rest (so Temporal list queries and the Web UI can filter on it), counted in metrics when it ends,
 * and turned into its result.
 */
import { metricMeter, upsertSearchAttributes } from '@temporalio/workflow';
import type { ItemDelivery } from '../shared/delivery-types';
import { METRIC } from '../shared/metric-names';
import { applyOrder, applyQuote, initialStatus, resultOf } from '../shared/purchase-state';
import {
  PURCHASE_ENDS,
  type OrderSummary,
  type PurchaseEnd,
  type PurchaseInput,
  type PurchaseResult,
  type PurchaseStage,
  type PurchaseStatus,
  type Quote,
} from '../shared/purchase-types';
import {
  DataCosmosOrderIdKey,
  OrderStatusKey,
  OrganisationIdKey,
  PurchaseStageKey,
  TotalPriceKey,
} from '../shared/search-attributes';

/** Stages worth a search-attribute update: where a purchase can rest, and its ends. The rest pass in moments. */
const PUBLISHED_STAGES: ReadonlySet<PurchaseStage> = new Set<PurchaseStage>([
  'AWAITING_APPROVAL',
  'ORDERING', // an order create retries until it is sure: during an outage a purchase rests here
  'AWAITING_PAYMENT',
  'NEEDS_ATTENTION',
  'DELIVERING',
  ...PURCHASE_ENDS,
]);

export class PurchaseRecord {
  readonly status: PurchaseStatus;

  constructor(input: PurchaseInput) {
    this.status = initialStatus(input, new Date().toISOString());
  }

  setStage(stage: PurchaseStage): void {
    this.status.stage = stage;
    this.touch();
    if (PUBLISHED_STAGES.has(stage)) this.publish();
  }

  recordQuote(quote: Quote): void {
    applyQuote(this.status, quote);
  }

  /** A new order id is published at once; a new status is published with the stage it leads to. */
  recordOrder(order: OrderSummary): void {
    const changed = applyOrder(this.status, order);
    this.touch();
    if (changed) this.publish();
  }

  touch(): void {
    this.status.updatedAt = new Date().toISOString();
  }

  /** The end: counted, published, and the result. */
  finish(
    end: PurchaseEnd,
    reason: string | null,
    paymentWaitStartedAt: number | null,
    delivery?: ItemDelivery[],
  ): PurchaseResult {
    this.countEnd(end, paymentWaitStartedAt);
    if (end !== 'COMPLETED' || reason) this.status.lastError = reason ?? this.status.lastError;
    this.status.nextCheckAt = null;
    this.setStage(end);
    return resultOf(this.status, end, reason, delivery);
  }

  /**
   * Mirrors the status into search attributes; called from outside for a stage that passes in moments as a rule,
   * where this purchase rests in it (a wait for claims).
   */
  publish(): void {
    const s = this.status;
    upsertSearchAttributes([
      { key: PurchaseStageKey, value: s.stage },
      { key: OrderStatusKey, value: s.orderStatus },
      { key: DataCosmosOrderIdKey, value: s.orderId },
      { key: OrganisationIdKey, value: s.organisationId === null ? null : String(s.organisationId) },
      { key: TotalPriceKey, value: s.total === null ? null : Number(s.total) },
    ]);
  }

  /** Metrics come from live executions only (the SDK drops them during replay), so they cost no determinism. */
  private countEnd(end: PurchaseEnd, paymentWaitStartedAt: number | null): void {
    const { total, currency } = this.status;
    metricMeter.createCounter(METRIC.purchases, 'purchases', 'purchases by end state').add(1, { end });
    if (end === 'COMPLETED' && total !== null && currency !== null) {
      // A histogram, so its _sum is the spend per currency with the cents kept.
      metricMeter
        .createHistogram(METRIC.paidOrderTotal, 'float', 'currency', 'totals of paid orders, by currency')
        .record(Number(total), { currency });
    }
    if (paymentWaitStartedAt !== null) {
      metricMeter
        .createHistogram(METRIC.paymentWait, 'float', 's', 'time from payment link to the end of the wait')
        .record((Date.now() - paymentWaitStartedAt) / 1000, { end });
    }
  }
}
