/**
 * One purchase of DataCosmos imagery, as in the lifecycle of the README ("How a purchase runs"):
 * VALIDATING -> RESOLVING_CONTRACT -> PRICING -> [AWAITING_APPROVAL] -> ORDERING -> CHECKOUT
 *   -> AWAITING_PAYMENT -> COMPLETED, or CANCELLED | EXPIRED | REJECTED | FAILED.
 * Deterministic: all I/O is in activities; Date is the SDK's workflow clock.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  metricMeter,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { ItemDelivery } from '../shared/delivery-types';
import { formatDuration } from '../shared/duration';
import { METRIC } from '../shared/metric-names';
import { compare } from '../shared/money';
import { inFlightReason, ownedReason } from '../shared/batch-plan';
import type { ClaimGrant, ClaimSettlement } from '../shared/claim-types';
import { UNSETTLED_FAILURES } from '../shared/failure-types';
import { itemKey } from '../shared/item-key';
import {
  adoptOrderUpdate,
  approveUpdate,
  cancelSignal,
  extendDeadlineUpdate,
  paymentCompletedSignal,
  statusQuery,
} from '../shared/purchase-messages';
import {
  DEFAULT_ACTIVITY_TIMEOUT_MS,
  DEFAULT_APPROVAL_TIMEOUT_MS,
  DEFAULT_HISTORY_EVENT_LIMIT,
  DEFAULT_PAYMENT_WINDOW_MS,
  DEFAULT_POLL,
  PURCHASE_ENDS,
  type AdoptOrder,
  type ApprovalDecision,
  type CarriedState,
  type CreateOrderInput,
  type DroppedItem,
  type LineItemInput,
  type OrderSummary,
  type PurchaseEnd,
  type PurchaseInput,
  type PurchaseResult,
  type PurchaseStage,
  type PurchaseStatus,
  type Quote,
  type ResolvedContract,
} from '../shared/purchase-types';
import { purchaseInputProblems } from '../shared/purchase-validation';
import {
  DataCosmosOrderIdKey,
  OrderStatusKey,
  OrganisationIdKey,
  PurchaseStageKey,
  TotalPriceKey,
} from '../shared/search-attributes';
import { datacosmosQueueOption } from './datacosmos-queue';

type Activities = ReturnType<typeof createActivities>;

/** Ends the workflow function early with a business end; caught once in purchaseWorkflow. */
class PurchaseEnded extends Error {
  constructor(
    readonly end: PurchaseEnd,
    readonly reason: string | null,
  ) {
    super(reason ?? end);
  }
}

export async function purchaseWorkflow(input: PurchaseInput): Promise<PurchaseResult> {
  const purchase = new Purchase(input);
  // A Temporal cancellation request is the same as the `cancel` signal: the purchase decides when
  // it is safe to stop (an order create in flight is never abandoned), so the work runs non-cancellable.
  CancellationScope.current().cancelRequested.catch(() => purchase.requestCancel('cancel requested through Temporal'));
  return CancellationScope.nonCancellable(() => purchase.run());
}

class Purchase {
  private readonly status: PurchaseStatus;
  /** The DataCosmos steps, on the DataCosmos queue until the worker says it has no fleet budget. */
  private steps: DataCosmosSteps;
  /** Whether this run has learnt where its worker runs the DataCosmos steps. */
  private stepsPlaced = false;
  /** The contract look-up (cached per worker): run inside the workflow task to save a server round trip. */
  private readonly contractApi: Activities;
  private readonly claimApi: Activities;
  private readonly deliveryApi: Activities;
  private contract: ResolvedContract | null = null;
  /** Items whose claims this purchase holds: settled (owned, watched, released) when it ends. */
  private claimed: string[];
  private cancelReason: string | null = null;
  private paymentSignalled = false;
  private deadlineMoved = false;
  private approvalDecision: ApprovalDecision | null = null;
  /** What the order create was asked, once known: an order an operator adopts is checked against it. */
  private orderRequest: CreateOrderInput | null = null;
  /** The order an operator attached to a purchase whose create could not be settled (`adoptOrder`). */
  private adopted: OrderSummary | null = null;
  private adopting = false;
  private attentionRetries = 0;
  private paymentWindowMs: number;
  private nextPollMs: number;
  private paymentWaitStartedAt: number | null;

  constructor(private readonly input: PurchaseInput) {
    const now = new Date().toISOString();
    const carried = input.carried;
    this.paymentWindowMs = input.paymentWindowMs ?? DEFAULT_PAYMENT_WINDOW_MS;
    this.nextPollMs = carried?.nextPollMs ?? (input.poll ?? DEFAULT_POLL).firstMs;
    this.paymentWaitStartedAt = carried?.paymentWaitStartedAt ?? null;
    this.contract = carried?.contract ?? null;
    this.claimed = carried?.claimed ?? [];
    this.status = {
      purchaseId: input.purchaseId,
      stage: carried ? 'AWAITING_PAYMENT' : 'VALIDATING',
      organisationId: carried?.organisationId ?? null,
      contractId: carried?.contract.contractId ?? input.contractId ?? null,
      batchId: input.batchId ?? null,
      lineItems: carried?.lineItems ?? input.items ?? [],
      total: carried?.total ?? null,
      currency: carried?.contract.currency ?? null,
      budget: input.budget ?? null,
      approval: 'NOT_NEEDED',
      orderId: carried?.order.orderId ?? null,
      orderStatus: carried?.order.status ?? null,
      paymentMethod: carried?.order.paymentMethod ?? null,
      checkoutUrl: carried?.checkoutUrl ?? null,
      polls: carried?.polls ?? 0,
      nextCheckAt: null,
      paymentDeadline: carried?.paymentDeadline ?? null,
      lastError: carried?.lastError ?? null,
      attention: null,
      startedAt: carried?.startedAt ?? now,
      updatedAt: now,
      runs: carried?.runs ?? 0,
      // Only when set, so purchases without it keep their exact status and result.
      ...(input.redriveOf ? { redriveOf: input.redriveOf } : {}),
      dropped: carried?.dropped ?? [],
    };
    const timeoutMs = this.stepTimeoutMs();
    const retry = STEP_RETRY;
    this.steps = datacosmosSteps('queue', timeoutMs);
    // A local activity always runs in the workflow's worker (its one DataCosmos call is cached per worker).
    this.contractApi = proxyLocalActivities<Activities>({
      startToCloseTimeout: timeoutMs,
      retry,
      scheduleToCloseTimeout: '10m',
    });
    // Claims are updates sent through the Temporal client; as local activities no server round trip schedules them
    // (nor the worker's answer to where the DataCosmos steps run).
    this.claimApi = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s', retry });
    // Downloads heartbeat their bytes: a killed worker's download is retried (and resumed) elsewhere.
    this.deliveryApi = proxyActivities<Activities>({
      startToCloseTimeout: '2h',
      scheduleToCloseTimeout: '24h',
      heartbeatTimeout: input.deliver?.heartbeatTimeoutMs ?? 30_000,
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
    });
    this.installHandlers();
  }

  requestCancel(reason: string): void {
    this.cancelReason ??= reason;
  }

  async run(): Promise<PurchaseResult> {
    const result = await this.runToEnd();
    await this.settleClaims(result.end);
    return result;
  }

  private async runToEnd(): Promise<PurchaseResult> {
    try {
      if (this.input.carried) {
        await this.waitForPayment();
      } else {
        await this.buy();
      }
      return this.finish('COMPLETED', null, await this.deliver(true));
    } catch (err) {
      if (err instanceof PurchaseEnded) {
        return this.finish(err.end, err.reason, err.end === 'ALREADY_OWNED' ? await this.deliver(false) : undefined);
      }
      const failure = businessFailure(err);
      if (failure !== null) return this.finish('FAILED', failure);
      throw err;
    }
  }

  // --- the stages ------------------------------------------------------------------------------

  private async buy(): Promise<void> {
    this.validate();
    this.stopIfCancelled();

    await this.placeSteps();
    this.setStage('RESOLVING_CONTRACT');
    this.contract = await this.contractApi.resolveContract({ contractId: this.input.contractId });
    this.status.organisationId = this.contract.organisationId;
    this.status.contractId = this.contract.contractId;
    this.status.currency = this.contract.currency;
    this.checkBudgetCurrency(this.contract);
    this.stopIfCancelled();

    this.setStage('CLAIMING');
    const items = await this.claim(this.contract.organisationId);
    this.stopIfCancelled();

    this.setStage('PRICING');
    // A regular activity: a cancel that arrives while prices are fetched is seen before ordering.
    const quote = await this.steps.api.priceItems({ contractId: this.contract.contractId, items });
    this.recordQuote(quote);
    this.stopIfCancelled();
    await this.enforceBudget(quote);
    this.stopIfCancelled();

    this.setStage('ORDERING');
    this.orderRequest = {
      contractId: this.contract.contractId,
      lineItems: quote.lineItems,
      notBefore: this.status.startedAt,
      licenses: this.input.licenses,
    };
    const order = await this.createOrder(this.orderRequest);
    this.recordOrder(order);
    if (order.status === 'PAID') return; // credits applied at create
    this.endIfOrderCancelled(order);
    this.stopIfCancelled();

    this.setStage('CHECKOUT');
    const checkedOut = await this.checkOut(order.orderId);
    if (checkedOut) {
      this.recordOrder(checkedOut);
      if (checkedOut.status === 'PAID') return; // credits covered the total
      this.endIfOrderCancelled(checkedOut);
    }

    this.status.paymentDeadline = new Date(Date.now() + this.paymentWindowMs).toISOString();
    this.paymentWaitStartedAt = Date.now();
    await this.waitForPayment();
  }

  /**
   * Claims every item for this purchase before anything is ordered: an item owned already (a PAID order) or held
   * by another purchase is dropped and reported, or, with `whenClaimed: 'wait'`, waited for. Ends the purchase
   * ALREADY_OWNED or IN_FLIGHT when nothing is left to buy.
   */
  private async claim(organisationId: number): Promise<LineItemInput[]> {
    let wanted = this.input.items;
    for (;;) {
      const grants = await this.claimApi.claimItems({
        taskQueue: workflowInfo().taskQueue,
        organisationId,
        holder: this.status.purchaseId,
        items: wanted.map(itemKey),
        ...(this.input.redriveOf ? { takeOverFrom: this.input.redriveOf } : {}),
      });
      const byItem = new Map(grants.map((grant) => [grant.item, grant]));
      const refused = (line: LineItemInput) => byItem.get(itemKey(line)) as Exclude<ClaimGrant, { granted: true }>;
      this.claimed.push(...grants.filter((grant) => grant.granted).map((grant) => grant.item));
      const owned = wanted.filter(
        (line) => !byItem.get(itemKey(line))?.granted && refused(line).outcome === 'ALREADY_OWNED',
      );
      const held = wanted.filter(
        (line) => !byItem.get(itemKey(line))?.granted && refused(line).outcome === 'IN_FLIGHT',
      );
      const waitForHeld = this.input.whenClaimed === 'wait' && held.length > 0;
      this.drop(waitForHeld ? owned : [...owned, ...held], refused);
      if (!waitForHeld) break;
      // Held elsewhere: ask again after a while, until its holder ends (or a cancel).
      wanted = held;
      this.status.lastError = `waiting for ${held.length} item(s) held by other purchases: ${held.map(itemKey).join(', ')}`;
      await condition(() => this.cancelReason !== null, (this.input.poll ?? DEFAULT_POLL).capMs);
      this.stopIfCancelled();
    }
    const mine = new Set(this.claimed);
    const items = this.input.items.filter((line) => mine.has(itemKey(line)));
    if (items.length === 0) {
      const ownedAll = this.status.dropped.every((d) => d.outcome === 'ALREADY_OWNED');
      throw new PurchaseEnded(ownedAll ? 'ALREADY_OWNED' : 'IN_FLIGHT', describeDropped(this.status.dropped));
    }
    if (this.status.dropped.length > 0) this.status.lineItems = items;
    return items;
  }

  private drop(lines: LineItemInput[], why: (line: LineItemInput) => Exclude<ClaimGrant, { granted: true }>): void {
    for (const line of lines) {
      const grant = why(line);
      this.status.dropped.push({
        collection: line.collection,
        item: line.item,
        outcome: grant.outcome,
        purchaseId: grant.holder,
        orderId: grant.orderId,
      });
    }
  }

  /**
   * Leaves the claims as the end says: OWNED with the PAID order; watched through an order that may still be paid
   * (its registry reads it now and then); released when no order was made or it was cancelled.
   */
  private async settleClaims(end: PurchaseEnd): Promise<void> {
    if (this.claimed.length === 0) return;
    const { orderId, orderStatus } = this.status;
    const settlement: ClaimSettlement =
      end === 'COMPLETED' && orderId
        ? { outcome: 'OWNED', orderId }
        : orderId && orderStatus !== 'CANCELLED'
          ? { outcome: 'WATCH', orderId }
          : { outcome: 'RELEASED' };
    const scope = { taskQueue: workflowInfo().taskQueue, organisationId: this.status.organisationId as number };
    // From a local activity: no signal to send from a workflow task of its own, one update per registry.
    await this.claimApi.settleClaims({ ...scope, holder: this.status.purchaseId, items: this.claimed, settlement });
  }

  private stepTimeoutMs(): number {
    return this.input.activityTimeoutMs ?? DEFAULT_ACTIVITY_TIMEOUT_MS;
  }

  /**
   * Without a fleet budget nothing needs the DataCosmos queue's rate limit: checkout and polls run as local
   * activities in the workflow task that decided them (no task of their own to schedule and complete), pricing and
   * the create on the workflow's own queue. Checkout runs in the task that read the created order, after a cancel
   * could be seen, so a cancel during the create still leaves the order unpaid; pricing and the create stay
   * activities because each must end in a task where a cancel is seen before the next step.
   * Asked once per run; the answer is in the history, so a replay on any worker takes the same path.
   */
  private async placeSteps(): Promise<void> {
    if (this.stepsPlaced) return;
    this.stepsPlaced = true;
    const placement = await this.claimApi.datacosmosPlacement();
    if (placement === 'local') this.steps = datacosmosSteps(placement, this.stepTimeoutMs());
  }

  /**
   * Creates the order at most once. When its outcome cannot be settled (the reply was lost and the order list
   * cannot tell), the purchase rests in NEEDS_ATTENTION: it looks again now and then (never creating blindly),
   * and takes an order an operator adopts, or a cancel.
   */
  private async createOrder(request: CreateOrderInput): Promise<OrderSummary> {
    let lookFirst = false;
    for (;;) {
      try {
        const order = await this.steps.moneyApi.createOrderOnce({ ...request, ...(lookFirst ? { lookFirst } : {}) });
        this.settled();
        return order;
      } catch (err) {
        const why = unsettledReason(err);
        if (why === null) throw err;
        lookFirst = true;
        await this.needAttention(
          why,
          'adopt the order with `dcp adopt ID --order ORDER_ID` if DataCosmos has one for these items, or `dcp cancel ID`',
        );
        if (this.adopted) {
          this.settled();
          return this.adopted;
        }
      }
    }
  }

  /**
   * Checks out; null when the checkout went through but the order cannot be read (the payment wait reads it).
   * A checkout that cannot be made (its path is not served) rests in NEEDS_ATTENTION and is tried again.
   */
  private async checkOut(orderId: string): Promise<OrderSummary | null> {
    for (;;) {
      try {
        const order = await this.steps.checkoutApi.checkoutOrder({ orderId });
        this.settled();
        return order;
      } catch (err) {
        const why = unsettledReason(err);
        if (why === null) throw err;
        const known = activityCause(err)?.details?.[0] as { checkoutUrl?: string | null } | undefined;
        if (known && 'checkoutUrl' in known) {
          this.status.checkoutUrl = known.checkoutUrl ?? this.status.checkoutUrl;
          this.status.lastError = why;
          return null;
        }
        await this.needAttention(
          why,
          'fix the checkout path (see "Using the real API"); it is tried again, or `dcp cancel ID`',
        );
      }
    }
  }

  /**
   * Rests in NEEDS_ATTENTION until an order is adopted, the purchase is cancelled, or it is time to try the step
   * again (a growing interval, up to an hour, so a long wait stays a small history).
   */
  private async needAttention(reason: string, resolve: string): Promise<void> {
    const retryMs = Math.min(
      (this.input.poll ?? DEFAULT_POLL).capMs * 2 ** this.attentionRetries,
      ATTENTION_RETRY_CAP_MS,
    );
    this.attentionRetries += 1;
    this.status.attention = { reason, resolve, since: this.status.attention?.since ?? new Date().toISOString() };
    this.status.lastError = reason;
    this.status.nextCheckAt = new Date(Date.now() + retryMs).toISOString();
    if (this.status.stage !== 'NEEDS_ATTENTION') this.setStage('NEEDS_ATTENTION');
    await condition(() => this.adopted !== null || this.cancelReason !== null, retryMs);
    this.status.nextCheckAt = null;
    this.stopIfCancelled();
  }

  /** A step settled: whatever needed attention no longer does. */
  private settled(): void {
    if (this.status.attention === null) return;
    this.status.attention = null;
    this.attentionRetries = 0;
  }

  /**
   * After PAID: the files, when asked for, of the items bought and of those found owned already (a PAID order
   * holds them, so storage serves them). A failed delivery is reported per item; the purchase keeps its end.
   */
  private async deliver(bought: boolean): Promise<ItemDelivery[] | undefined> {
    const deliver = this.input.deliver;
    const owned = this.status.dropped.filter((d) => d.outcome === 'ALREADY_OWNED');
    const lines = [...(bought ? this.status.lineItems : []), ...owned];
    if (!deliver || lines.length === 0) return undefined;
    this.setStage('DELIVERING');
    const items = lines.map(({ collection, item }) => ({ collection, item }));
    try {
      return await this.deliveryApi.deliverItems({ dir: deliver.dir, items });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const reason = `delivery failed: ${failureMessage(err)}`;
      return items.map((line) => ({ ...line, state: 'FAILED' as const, files: [], reason }));
    }
  }

  private validate(): void {
    const problems = purchaseInputProblems(this.input);
    if (problems.length > 0) throw new PurchaseEnded('FAILED', `invalid purchase: ${problems.join('; ')}`);
  }

  private checkBudgetCurrency(contract: ResolvedContract): void {
    const wanted = this.input.budget?.currency;
    if (wanted && wanted !== contract.currency) {
      throw new PurchaseEnded(
        'FAILED',
        `budget currency ${wanted} differs from contract ${contract.contractId}'s currency ${contract.currency}`,
      );
    }
  }

  /** Over budget: reject at once, or wait for an `approve` update until the approval timeout. */
  private async enforceBudget(quote: Quote): Promise<void> {
    const budget = this.input.budget;
    if (!budget || compare(quote.total, budget.maxTotal) <= 0) return;
    const over = `total ${quote.total} ${quote.currency} is over the budget of ${budget.maxTotal} ${quote.currency}`;
    if (budget.approval === 'reject') throw new PurchaseEnded('REJECTED', over);

    this.status.approval = 'PENDING';
    this.setStage('AWAITING_APPROVAL');
    const timeoutMs = budget.approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
    const decided = await condition(() => this.approvalDecision !== null || this.cancelReason !== null, timeoutMs);
    this.stopIfCancelled();
    if (!decided) {
      this.status.approval = 'TIMED_OUT';
      throw new PurchaseEnded('REJECTED', `${over}; no approval within ${formatDuration(timeoutMs)}`);
    }
    const decision = this.approvalDecision as ApprovalDecision;
    if (!decision.approved) {
      this.status.approval = 'DENIED';
      throw new PurchaseEnded('REJECTED', `${over}; approval denied${decision.note ? `: ${decision.note}` : ''}`);
    }
    this.status.approval = 'APPROVED';
  }

  /**
   * Polls the order while it is UNPAID, with growing intervals capped by the schedule, waking at once on
   * `paymentCompleted`, `cancel` or a moved deadline. Continues as new before the history grows large.
   */
  private async waitForPayment(): Promise<void> {
    this.setStage('AWAITING_PAYMENT');
    await this.placeSteps();
    const poll = this.input.poll ?? DEFAULT_POLL;
    const historyLimit = this.input.historyEventLimit ?? DEFAULT_HISTORY_EVENT_LIMIT;
    const orderId = this.status.orderId as string;
    for (;;) {
      if (this.cancelReason !== null) {
        throw new PurchaseEnded('CANCELLED', `${this.cancelReason}; order ${orderId} was left UNPAID`);
      }
      this.paymentSignalled = false;
      this.deadlineMoved = false;
      const order = await this.pollOrder(orderId);
      if (order?.status === 'PAID') return;
      if (order) this.endIfOrderCancelled(order);

      const remainingMs = Date.parse(this.status.paymentDeadline as string) - Date.now();
      // Only an order last seen UNPAID expires; one that cannot be read is polled on until it can be.
      if (remainingMs <= 0 && this.status.attention === null) {
        throw new PurchaseEnded(
          'EXPIRED',
          `order ${orderId} was still UNPAID at the payment deadline ${this.status.paymentDeadline}` +
            (this.status.checkoutUrl ? `; payment link: ${this.status.checkoutUrl}` : ''),
        );
      }
      if (workflowInfo().historyLength >= historyLimit || workflowInfo().continueAsNewSuggested) {
        await this.continueWaitingAsNew();
      }
      const sleepMs = remainingMs > 0 ? Math.min(this.nextPollMs, remainingMs) : this.nextPollMs;
      this.nextPollMs = Math.min(Math.round(this.nextPollMs * poll.factor), poll.capMs);
      this.status.nextCheckAt = new Date(Date.now() + sleepMs).toISOString();
      await condition(() => this.paymentSignalled || this.deadlineMoved || this.cancelReason !== null, sleepMs);
    }
  }

  /**
   * One status check; a check that keeps failing is recorded, and the next poll tries again. An order that
   * cannot be read (its path is not served, its reply has no status) puts the purchase in NEEDS_ATTENTION
   * until a poll reads it again.
   */
  private async pollOrder(orderId: string): Promise<OrderSummary | null> {
    try {
      const order = await this.steps.pollApi.getOrder({ orderId });
      this.status.polls += 1;
      this.recordOrder(order);
      if (this.status.attention !== null) {
        this.settled();
        this.setStage('AWAITING_PAYMENT');
      }
      return order;
    } catch (err) {
      const why = unsettledReason(err);
      if (why !== null) {
        this.status.attention = {
          reason: why,
          resolve: 'fix the order path (see "Using the real API"); it is read again at every poll, or `dcp cancel ID`',
          since: this.status.attention?.since ?? new Date().toISOString(),
        };
        if (this.status.stage !== 'NEEDS_ATTENTION') this.setStage('NEEDS_ATTENTION');
      } else if (isNonRetryable(err)) {
        throw err;
      }
      this.status.lastError = failureMessage(err);
      return null;
    }
  }

  private async continueWaitingAsNew(): Promise<never> {
    await condition(allHandlersFinished);
    const s = this.status;
    const carried: CarriedState = {
      startedAt: s.startedAt,
      organisationId: s.organisationId as number,
      contract: this.contract as ResolvedContract,
      lineItems: s.lineItems as CarriedState['lineItems'],
      total: s.total as string,
      order: {
        orderId: s.orderId as string,
        status: s.orderStatus,
        paymentMethod: s.paymentMethod,
        checkoutUrl: s.checkoutUrl,
        total: s.total,
        currency: s.currency,
      },
      checkoutUrl: s.checkoutUrl,
      paymentDeadline: s.paymentDeadline as string,
      polls: s.polls,
      nextPollMs: this.nextPollMs,
      paymentWaitStartedAt: this.paymentWaitStartedAt ?? undefined,
      runs: s.runs + 1,
      lastError: s.lastError ?? undefined,
      claimed: this.claimed,
      dropped: s.dropped,
    };
    return continueAsNew<typeof purchaseWorkflow>({ ...this.input, carried });
  }

  // --- state -------------------------------------------------------------------------------------

  private stopIfCancelled(): void {
    if (this.cancelReason === null) return;
    const orderId = this.status.orderId;
    throw new PurchaseEnded(
      'CANCELLED',
      orderId
        ? `${this.cancelReason}; order ${orderId} was left ${this.status.orderStatus ?? 'as it was'}`
        : this.status.attention !== null
          ? `${this.cancelReason}; whether the order create reached DataCosmos was never settled: check its orders for these items`
          : `${this.cancelReason}; no order was created`,
    );
  }

  private endIfOrderCancelled(order: OrderSummary): void {
    if (order.status === 'CANCELLED') {
      throw new PurchaseEnded('CANCELLED', `order ${order.orderId} was cancelled by DataCosmos`);
    }
  }

  private recordQuote(quote: Quote): void {
    this.status.lineItems = quote.lineItems;
    this.status.total = quote.total;
    this.status.currency = quote.currency;
  }

  private recordOrder(order: OrderSummary): void {
    // A new order id is published at once; a new status is published with the stage it leads to.
    const changed = order.orderId !== this.status.orderId;
    this.status.orderId = order.orderId;
    this.status.orderStatus = order.status ?? this.status.orderStatus;
    this.status.paymentMethod = order.paymentMethod ?? this.status.paymentMethod;
    this.status.checkoutUrl = order.checkoutUrl ?? this.status.checkoutUrl;
    if (order.total !== null) this.status.total = order.total;
    this.touch();
    if (changed) this.publish();
  }

  private setStage(stage: PurchaseStage): void {
    this.status.stage = stage;
    this.touch();
    if (PUBLISHED_STAGES.has(stage)) this.publish();
  }

  private touch(): void {
    this.status.updatedAt = new Date().toISOString();
  }

  /** Mirrors the status into search attributes so Temporal list queries and the Web UI can filter on it. */
  private publish(): void {
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
  private countEnd(end: PurchaseEnd): void {
    metricMeter.createCounter(METRIC.purchases, 'purchases', 'purchases by end state').add(1, { end });
    if (end === 'COMPLETED' && this.status.total !== null && this.status.currency !== null) {
      // A histogram, so its _sum is the spend per currency with the cents kept.
      metricMeter
        .createHistogram(METRIC.paidOrderTotal, 'float', 'currency', 'totals of paid orders, by currency')
        .record(Number(this.status.total), { currency: this.status.currency });
    }
    if (this.paymentWaitStartedAt !== null) {
      metricMeter
        .createHistogram(METRIC.paymentWait, 'float', 's', 'time from payment link to the end of the wait')
        .record((Date.now() - this.paymentWaitStartedAt) / 1000, { end });
    }
  }

  private finish(end: PurchaseEnd, reason: string | null, delivery?: ItemDelivery[]): PurchaseResult {
    this.countEnd(end);
    if (end !== 'COMPLETED' || reason) this.status.lastError = reason ?? this.status.lastError;
    this.status.nextCheckAt = null;
    this.setStage(end);
    const s = this.status;
    return {
      purchaseId: s.purchaseId,
      end,
      reason,
      organisationId: s.organisationId,
      contractId: s.contractId,
      orderId: s.orderId,
      orderStatus: s.orderStatus,
      total: s.total,
      currency: s.currency,
      paymentMethod: s.paymentMethod,
      checkoutUrl: s.checkoutUrl,
      lineItems: s.lineItems,
      polls: s.polls,
      startedAt: s.startedAt,
      endedAt: s.updatedAt,
      ...(delivery ? { delivery } : {}),
      ...(s.redriveOf ? { redriveOf: s.redriveOf } : {}),
      ...(s.dropped.length > 0 ? { dropped: s.dropped } : {}),
    };
  }

  // --- messages ----------------------------------------------------------------------------------

  private installHandlers(): void {
    setHandler(statusQuery, () => this.status);
    setHandler(cancelSignal, (reason?: string) => this.requestCancel(reason ? `cancelled: ${reason}` : 'cancelled'));
    setHandler(paymentCompletedSignal, () => {
      this.paymentSignalled = true;
    });
    setHandler(
      approveUpdate,
      (decision: ApprovalDecision) => {
        this.approvalDecision = { approved: decision?.approved !== false, note: decision?.note };
        return this.status;
      },
      {
        validator: (_decision: ApprovalDecision) => {
          if (this.status.stage !== 'AWAITING_APPROVAL' || this.approvalDecision !== null) {
            throw new Error(`nothing awaits approval: purchase ${this.status.purchaseId} is ${this.status.stage}`);
          }
        },
      },
    );
    setHandler(
      adoptOrderUpdate,
      async ({ orderId }: AdoptOrder) => {
        this.adopting = true;
        try {
          const request = this.orderRequest as CreateOrderInput;
          this.adopted = await this.steps.api.adoptOrder({ ...request, orderId });
          return this.status;
        } catch (err) {
          // The update fails with the reason (the purchase stays as it was), not with "activity task failed".
          throw ApplicationFailure.nonRetryable(failureMessage(err), activityCause(err)?.type ?? 'AdoptionFailed');
        } finally {
          this.adopting = false;
        }
      },
      {
        validator: (adoption: AdoptOrder) => {
          if (typeof adoption?.orderId !== 'string' || !/^\S{1,200}$/.test(adoption.orderId)) {
            throw new Error('adoptOrder: orderId must be an order id (1 to 200 characters, no spaces)');
          }
          if (this.status.stage !== 'NEEDS_ATTENTION' || this.orderRequest === null || this.status.orderId !== null) {
            throw new Error(
              `nothing to adopt: purchase ${this.status.purchaseId} is ${this.status.stage}` +
                (this.status.orderId ? ` with order ${this.status.orderId}` : ''),
            );
          }
          if (this.adopting || this.adopted !== null) throw new Error('an order is being adopted already');
        },
      },
    );
    setHandler(
      extendDeadlineUpdate,
      ({ byMs }) => {
        if (this.status.paymentDeadline === null) {
          // The deadline starts when checkout issues a payment link; until then the window grows.
          this.paymentWindowMs += byMs;
          return `payment window is now ${formatDuration(this.paymentWindowMs)} from checkout`;
        }
        this.status.paymentDeadline = new Date(Date.parse(this.status.paymentDeadline) + byMs).toISOString();
        this.deadlineMoved = true;
        this.touch();
        return this.status.paymentDeadline;
      },
      {
        validator: (extension) => {
          if (!extension || !(typeof extension.byMs === 'number' && extension.byMs > 0)) {
            throw new Error('extendDeadline: byMs must be a positive number of milliseconds');
          }
          if (isEnded(this.status.stage)) {
            throw new Error(`purchase ${this.status.purchaseId} has already ended ${this.status.stage}`);
          }
        },
      },
    );
  }
}

interface DataCosmosSteps {
  /** Look-ups give up after a while: nothing has been bought yet, so FAILED is safe. */
  api: Activities;
  /** Creating and paying retry until they succeed or fail for good: giving up could lose an order. */
  moneyApi: Activities;
  checkoutApi: Activities;
  /** A poll that keeps failing is recorded and retried at the next poll; the deadline bounds the wait. */
  pollApi: Activities;
}

/**
 * The DataCosmos steps of a placement. 'queue': every step an activity on the DataCosmos queue, whose rate limit is
 * the fleet budget. 'local' (no budget): pricing and the create on the workflow's own queue, where the server can
 * hand the activity to the worker with the workflow task's reply (eager dispatch), and checkout and polls as local
 * activities.
 */
function datacosmosSteps(placement: 'local' | 'queue', timeoutMs: number): DataCosmosSteps {
  const options: ActivityOptions = { startToCloseTimeout: timeoutMs, retry: STEP_RETRY };
  const base = placement === 'queue' ? { ...options, ...datacosmosQueueOption() } : options;
  const moneyApi = proxyActivities<Activities>(base);
  const api = proxyActivities<Activities>({ ...base, scheduleToCloseTimeout: '10m' });
  if (placement === 'queue') {
    return {
      api,
      moneyApi,
      checkoutApi: moneyApi,
      pollApi: proxyActivities({ ...base, scheduleToCloseTimeout: '5m' }),
    };
  }
  return {
    api,
    moneyApi,
    checkoutApi: proxyLocalActivities<Activities>(options),
    pollApi: proxyLocalActivities<Activities>({ ...options, scheduleToCloseTimeout: '5m' }),
  };
}

/** How every DataCosmos step retries: soon at first, then at most once a minute. */
const STEP_RETRY: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' };

/** Stages worth a search-attribute update: where a purchase can rest, and its ends. The rest pass in moments. */
const PUBLISHED_STAGES: ReadonlySet<PurchaseStage> = new Set<PurchaseStage>([
  'AWAITING_APPROVAL',
  'ORDERING', // an order create retries until it is sure: during an outage a purchase rests here
  'AWAITING_PAYMENT',
  'NEEDS_ATTENTION',
  'DELIVERING',
  ...PURCHASE_ENDS,
]);

function describeDropped(dropped: DroppedItem[]): string {
  return dropped
    .map(
      (d) => `${itemKey(d)} ${d.outcome === 'ALREADY_OWNED' ? ownedReason(d.orderId) : inFlightReason(d.purchaseId)}`,
    )
    .join('; ');
}

function isEnded(stage: PurchaseStage): boolean {
  return (PURCHASE_ENDS as readonly string[]).includes(stage);
}

/** The failure an activity ended with: wrapped in ActivityFailure, or (local activities) the ApplicationFailure itself. */
function activityCause(err: unknown): ApplicationFailure | null {
  if (err instanceof ActivityFailure) return err.cause instanceof ApplicationFailure ? err.cause : null;
  return err instanceof ApplicationFailure ? err : null;
}

/** An order step's failure that leaves the order's fate unknown (UNSETTLED_FAILURES): its message, else null. */
function unsettledReason(err: unknown): string | null {
  const cause = activityCause(err);
  return cause && UNSETTLED_FAILURES.has(cause.type ?? '') ? cause.message : null;
}

/** Longest wait between two tries of a step that needs attention. */
const ATTENTION_RETRY_CAP_MS = 3600_000;

function isNonRetryable(err: unknown): boolean {
  return activityCause(err)?.nonRetryable === true;
}

/** The API's message of an activity failure that ends the purchase FAILED, or null for other errors. */
function businessFailure(err: unknown): string | null {
  return err instanceof ActivityFailure || activityCause(err) ? failureMessage(err) : null;
}

function failureMessage(err: unknown): string {
  if (err instanceof ActivityFailure) return err.cause?.message ?? err.message;
  return err instanceof Error ? err.message : String(err);
}
