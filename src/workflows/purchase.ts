/**
 * One purchase of DataCosmos imagery:
 * VALIDATING -> RESOLVING_CONTRACT -> CLAIMING -> PRICING -> [AWAITING_APPROVAL] -> ORDERING -> CHECKOUT
 *   -> AWAITING_PAYMENT -> [DELIVERING] -> COMPLETED, or CANCELLED | EXPIRED | REJECTED | FAILED | ALREADY_OWNED |
 *   IN_FLIGHT; NEEDS_ATTENTION while an order's fate cannot be told.
 * This file is the lifecycle; its decisions are pure rules in src/shared (payment-polls, claim-rules, budget-rules,
 * step-failures, purchase-state); its record, messages, steps, ordering and payment wait are beside it.
 * Deterministic: all I/O is in activities; Date is the SDK's workflow clock.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  patched,
  setWorkflowOptions,
  workflowInfo,
} from '@temporalio/workflow';
import { approvalOutcome, currencyMismatch, overBudget } from '../shared/budget-rules';
import { nothingLeftToBuy, settlementFor, sortGrants, waitingForHeld } from '../shared/claim-rules';
import type { ItemDelivery } from '../shared/delivery-types';
import { itemKey } from '../shared/item-key';
import { cancelledByDataCosmos } from '../shared/payment-polls';
import { applyContract, carriedStateOf, paidBeforeCancelReason } from '../shared/purchase-state';
import {
  DEFAULT_ACTIVITY_TIMEOUT_MS,
  DEFAULT_APPROVAL_TIMEOUT_MS,
  DEFAULT_HISTORY_EVENT_LIMIT,
  DEFAULT_PAYMENT_WINDOW_MS,
  DEFAULT_POLL,
  type CreateOrderInput,
  type LineItemInput,
  type OrderSummary,
  type PurchaseEnd,
  type PurchaseInput,
  type PurchaseResult,
  type Quote,
  type ResolvedContract,
} from '../shared/purchase-types';
import { MAX_DURATION_MS } from '../shared/duration';
import { compare } from '../shared/money';
import { purchaseInputProblems } from '../shared/purchase-validation';
import { spendSettlementFor } from '../shared/spend-limits';
import { invalidInput, businessFailure } from '../shared/step-failures';
import { Notifier } from './notifications';
import { Attention } from './purchase-attention';
import { deliverFiles } from './purchase-delivery';
import { PurchaseEnded, stopIfCancelled } from './purchase-ended';
import { Inbox, installPurchaseHandlers } from './purchase-handlers';
import { historyFull } from './history-full';
import { checkOut, createOrder, type OrderingContext } from './purchase-ordering';
import { PaymentWait } from './purchase-payment';
import { PurchaseRecord } from './purchase-record';
import { claimSteps, contractLookup, datacosmosSteps, type DataCosmosSteps } from './purchase-steps';
import { versionedAs } from './versioning';

/** Purchases from this change on reserve their total in the target's spend ledger; older histories replay without. */
const SPEND_LIMITS_PATCH = 'spend-limits';

/**
 * Purchases from this change on decide to continue as new when a poll's timer fires (see PaymentWait). Asked in the
 * first workflow task of each run, where no local activity comes before it; older histories replay without.
 */
const CONTINUE_AT_WAKE_PATCH = 'continue-as-new-at-wake';

/**
 * Purchases from this change on read the order in their payment wait before they take an end or a long sleep on
 * trust (see PaymentWait's `readsOrder`). Asked in the first workflow task of each run, for the same reason as
 * CONTINUE_AT_WAKE_PATCH: asked after a poll, a replay of a poll whose result came in a workflow task of its own
 * asked before it had seen the marker (a nondeterminism error); older histories replay without.
 */
const PAYMENT_WAIT_READS_ORDER_PATCH = 'payment-wait-reads-order';

/**
 * Purchases from this change on wait safely: they expire only on an order read UNPAID (one in a status DataCosmos
 * does not document waits on, named in the last error), announce no payment link once a cancel has come, and while
 * they wait for items other purchases hold (`whenClaimed: 'wait'`) are listed CLAIMING and start over as new before
 * that wait's history grows large. One patch, one marker a purchase. Asked in the first workflow task of each run,
 * for the reason above; older histories replay without.
 */
const WAITS_PATCH = 'waits-end-and-rest-safely';

/**
 * Purchases from this change on check again before they order: after an approval over the budget or a spend limit
 * they price again (up to a day may have passed, and the order is charged today's prices: one that rose is approved
 * again, not paid unseen), and once their spend is reserved they look for a cancel (one that came while the ledger
 * reserved, seconds under load, was not seen before the order was created, and with credits the order was paid).
 */
const CHECKS_AGAIN_PATCH = 'checks-again-before-ordering';

export async function purchaseWorkflow(input: PurchaseInput): Promise<PurchaseResult> {
  const purchase = new Purchase(input);
  // A Temporal cancellation request is the same as the `cancel` signal: the purchase decides when
  // it is safe to stop (an order create in flight is never abandoned), so the work runs non-cancellable.
  CancellationScope.current().cancelRequested.catch(() =>
    purchase.inbox.requestCancel('cancel requested through Temporal'),
  );
  return CancellationScope.nonCancellable(() => purchase.run());
}

/**
 * PINNED: a purchase runs to its end (through continue-as-new, up to its payment deadline) on the build it started
 * on, so a deploy never changes the code under a waiting purchase; the old build's workers stay until it drains.
 */
setWorkflowOptions(versionedAs('PINNED'), purchaseWorkflow);

class Purchase {
  readonly inbox = new Inbox();
  private readonly record: PurchaseRecord;
  /** The DataCosmos steps, on the DataCosmos queue until the worker says it has no fleet budget. */
  private steps: DataCosmosSteps;
  private stepsPlaced = false;
  private readonly contracts: ReturnType<typeof contractLookup>;
  private readonly claims = claimSteps();
  private contract: ResolvedContract | null;
  /** Items whose claims this purchase holds: settled (owned, watched, released) when it ends. */
  private readonly claimed: string[];
  /** Whether the purchase holds a reservation in its target's spend ledger: settled when it ends. */
  private spendReserved: boolean;
  /** What the order create was asked, once known: an order an operator adopts is checked against it. */
  private orderRequest: CreateOrderInput | null = null;
  private readonly attention: Attention;
  private readonly paymentWindow: { ms: number };
  private readonly payment: PaymentWait;
  /** Its events, to its `notify` URLs and the worker's default (behind patched('notifications')). */
  private readonly notifier: Notifier;
  /** NEEDS_ATTENTION entries this run: each is an event of its own. */
  private attentionEvents = 0;
  /** Behind WAITS_PATCH. */
  private readonly waitsSafely: boolean;
  private readonly checksAgain: boolean;

  constructor(private readonly input: PurchaseInput) {
    const carried = input.carried;
    this.record = new PurchaseRecord(input);
    this.notifier = new Notifier(
      { purchaseId: input.purchaseId, ...(input.batchId ? { batchId: input.batchId } : {}) },
      input.notify,
    );
    this.attention = new Attention(this.record, this.inbox, this.poll().capMs, (attention) => {
      this.attentionEvents += 1;
      void this.notifier.send('needs_attention', { ...attention, orderId: this.status.orderId }, this.attentionId());
    });
    this.paymentWindow = { ms: input.paymentWindowMs ?? DEFAULT_PAYMENT_WINDOW_MS };
    // Patches are asked in the order of their changes: a build that knows only the earlier ones names, in its
    // replay error, the first marker it does not know (test/production/upgrade.test.ts).
    const continueAtWake = patched(CONTINUE_AT_WAKE_PATCH);
    const readsOrder = patched(PAYMENT_WAIT_READS_ORDER_PATCH);
    this.waitsSafely = patched(WAITS_PATCH);
    this.checksAgain = patched(CHECKS_AGAIN_PATCH);
    this.payment = new PaymentWait(
      {
        record: this.record,
        inbox: this.inbox,
        attention: this.attention,
        notifier: this.notifier,
        poll: this.poll(),
        paymentWindow: this.paymentWindow,
        historyEventLimit: this.historyEventLimit(),
        continueAtWake,
        readsOrder,
        unpaidOnly: this.waitsSafely,
      },
      carried,
    );
    this.contract = carried?.contract ?? null;
    this.claimed = carried?.claimed ?? [];
    this.spendReserved = carried?.spendReserved ?? false;
    this.steps = datacosmosSteps('queue', this.stepTimeoutMs());
    this.contracts = contractLookup(this.stepTimeoutMs());
    installPurchaseHandlers({
      record: this.record,
      inbox: this.inbox,
      orderRequested: () => this.orderRequest !== null,
      adopt: (orderId) => this.steps.pricing.adoptOrder({ ...(this.orderRequest as CreateOrderInput), orderId }),
      paymentWindow: this.paymentWindow,
    });
  }

  private get status() {
    return this.record.status;
  }

  async run(): Promise<PurchaseResult> {
    const result = await this.runToEnd();
    await Promise.all([this.settleClaims(result.end), this.settleSpend(result)]);
    await this.notifier.send('purchase_ended', {
      end: result.end,
      reason: result.reason,
      orderId: result.orderId,
      orderStatus: result.orderStatus,
      total: result.total,
      currency: result.currency,
    });
    await this.notifier.drained();
    return result;
  }

  private async runToEnd(): Promise<PurchaseResult> {
    try {
      if (this.input.carried) await this.waitForPayment();
      else await this.buy();
      const delivery = await deliverFiles(this.record, this.input.deliver, true);
      const cancelReason = this.inbox.cancelReason;
      const reason = cancelReason === null ? null : paidBeforeCancelReason(cancelReason, this.status);
      return this.finish('COMPLETED', reason, delivery);
    } catch (err) {
      if (err instanceof PurchaseEnded) {
        return this.finish(
          err.end,
          err.reason,
          err.end === 'ALREADY_OWNED' ? await deliverFiles(this.record, this.input.deliver, false) : undefined,
        );
      }
      const failure = businessFailure(err);
      if (failure !== null) return this.finish('FAILED', failure);
      throw err;
    }
  }

  // --- the stages ------------------------------------------------------------------------------

  private async buy(): Promise<void> {
    const problems = purchaseInputProblems(this.input);
    if (problems.length > 0) throw invalidInput('purchase', problems);
    this.stopIfCancelled();

    await this.placeSteps();
    this.record.setStage('RESOLVING_CONTRACT');
    const contract = await this.contracts.resolveContract({ contractId: this.input.contractId });
    this.contract = contract;
    applyContract(this.status, contract);
    const mismatch = currencyMismatch(this.input.budget?.currency, contract);
    if (mismatch) throw invalidInput('purchase', [mismatch]);
    this.stopIfCancelled();

    this.record.setStage('CLAIMING');
    const items = await this.claim(contract.organisationId);
    this.stopIfCancelled();

    this.record.setStage('PRICING');
    let quote = await this.price(contract, items);
    const over = overBudget(quote, this.input.budget);
    if (over !== null) {
      await this.awaitApproval(over);
      if (this.checksAgain) quote = await this.priceApprovedAgain(contract, items, quote);
    }
    this.stopIfCancelled();
    if (patched(SPEND_LIMITS_PATCH)) quote = await this.reserveSpend(contract, items, quote);
    if (this.checksAgain) this.stopIfCancelled();

    this.record.setStage('ORDERING');
    this.orderRequest = {
      contractId: contract.contractId,
      lineItems: quote.lineItems,
      notBefore: this.status.startedAt,
      licenses: this.input.licenses,
    };
    const order = await createOrder(this.ordering(), this.orderRequest);
    this.record.recordOrder(order);
    if (order.status === 'PAID') return; // credits applied at create
    this.endIfOrderCancelled(order);
    this.stopIfCancelled();

    this.record.setStage('CHECKOUT');
    const checkedOut = await checkOut(this.ordering(), order.orderId);
    if (checkedOut) {
      this.record.recordOrder(checkedOut);
      if (checkedOut.status === 'PAID') return; // credits covered the total
      this.endIfOrderCancelled(checkedOut);
    }

    await this.payment.open();
    await this.waitForPayment();
  }

  /** AWAITING_PAYMENT, on the steps this run places. */
  private async waitForPayment(): Promise<void> {
    // A run carried in NEEDS_ATTENTION stays there (and does not announce it again) until a read settles it.
    this.record.setStage(this.status.attention ? 'NEEDS_ATTENTION' : 'AWAITING_PAYMENT');
    await this.placeSteps();
    await this.payment.untilPaid(this.steps.polling, () => this.continueWaitingAsNew());
  }

  /**
   * Claims every item before anything is ordered: an item owned already (a PAID order) or held by another purchase
   * is dropped and reported, or, with `whenClaimed: 'wait'`, asked for again until its holder ends. Ends the
   * purchase ALREADY_OWNED or IN_FLIGHT when nothing is left to buy.
   */
  private async claim(organisationId: number): Promise<LineItemInput[]> {
    let wanted = this.input.items;
    let resting = false;
    for (;;) {
      const grants = await this.claims.claimItems({
        taskQueue: workflowInfo().taskQueue,
        organisationId,
        holder: this.status.purchaseId,
        items: wanted.map(itemKey),
        ...(this.input.redriveOf ? { takeOverFrom: this.input.redriveOf } : {}),
      });
      const sorted = sortGrants(wanted, grants, this.input.whenClaimed);
      this.claimed.push(...sorted.granted);
      this.status.dropped.push(...sorted.dropped);
      if (sorted.waitFor.length === 0) break;
      wanted = sorted.waitFor;
      this.status.lastError = waitingForHeld(wanted);
      if (this.waitsSafely && !resting) this.record.publish();
      resting = true;
      const woken = await condition(() => this.inbox.cancelReason !== null, this.poll().capMs);
      this.stopIfCancelled();
      // Read when the timer has fired: a task of its own in the run and in any replay alike.
      if (this.waitsSafely && !woken && historyFull(this.historyEventLimit())) await this.startOverAsNew();
    }
    const mine = new Set(this.claimed);
    const items = this.input.items.filter((line) => mine.has(itemKey(line)));
    if (items.length === 0) {
      const { end, reason } = nothingLeftToBuy(this.status.dropped);
      throw new PurchaseEnded(end, reason);
    }
    if (this.status.dropped.length > 0) this.status.lineItems = items;
    return items;
  }

  /**
   * Reserves the priced total in the target's spend ledger before anything is ordered, and returns the quote to order.
   * Over a limit: rejected, or with `approval: 'wait'` reserved all the same once approved (the approver accepted going
   * over), at the day's quote when CHECKS_AGAIN_PATCH applies.
   */
  private async reserveSpend(contract: ResolvedContract, items: LineItemInput[], quote: Quote): Promise<Quote> {
    const request = {
      taskQueue: workflowInfo().taskQueue,
      organisationId: contract.organisationId,
      holder: this.status.purchaseId,
      amount: quote.total,
      currency: quote.currency,
      contractId: contract.contractId,
      scheduleId: this.input.scheduleId ?? null,
    };
    const answer = await this.claims.reserveSpend(request);
    if (!answer.granted) {
      this.status.spendLimit = answer.limit;
      this.status.lastError = answer.reason; // why it waits for approval, in `dcp status`
      await this.awaitApproval(answer.reason);
      this.stopIfCancelled();
      // The wait may have lasted a day: what is reserved and ordered is the day's quote, approved again if it rose.
      const priced = this.checksAgain ? await this.priceApprovedAgain(contract, items, quote) : quote;
      await this.claims.reserveSpend({ ...request, amount: priced.total, currency: priced.currency, override: true });
      this.spendReserved = true;
      return priced;
    }
    this.spendReserved = true;
    return quote;
  }

  /** The quote of these items under the contract, recorded; a cancel that came meanwhile is seen at once. */
  private async price(contract: ResolvedContract, items: LineItemInput[]): Promise<Quote> {
    // A regular activity: a cancel that arrives while prices are fetched is seen before ordering.
    const quote = await this.steps.pricing.priceItems({
      contractId: contract.contractId,
      items,
      currency: contract.currency,
    });
    this.record.recordQuote(quote);
    this.stopIfCancelled();
    return quote;
  }

  /** After an approval: today's quote, approved again whenever it is above the one last approved. */
  private async priceApprovedAgain(
    contract: ResolvedContract,
    items: LineItemInput[],
    approved: Quote,
  ): Promise<Quote> {
    for (let rose = false; ; rose = true) {
      this.record.setStage('PRICING');
      const quote = await this.price(contract, items);
      if (compare(quote.total, approved.total) <= 0) {
        if (rose) this.status.lastError = null; // the rise it waited on is approved
        return quote;
      }
      const above = `total ${quote.total} ${quote.currency} is above the ${approved.total} ${approved.currency} approved`;
      this.status.lastError = above; // why it waits for approval again, in `dcp status`
      await this.awaitApproval(above);
      approved = quote;
    }
  }

  /** Over budget or a spend limit: reject at once, or wait for an `approve` update until the approval timeout. */
  private async awaitApproval(over: string): Promise<void> {
    const budget = this.input.budget;
    if (budget?.approval !== 'wait') throw new PurchaseEnded('REJECTED', over);
    this.inbox.approval = null; // a budget approval does not also approve going over a limit
    this.status.approval = 'PENDING';
    this.record.setStage('AWAITING_APPROVAL');
    const timeoutMs = budget.approvalTimeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
    const decided = await condition(() => this.inbox.approval !== null || this.inbox.cancelReason !== null, timeoutMs);
    this.stopIfCancelled();
    const outcome = approvalOutcome(over, decided ? this.inbox.approval : null, timeoutMs);
    this.status.approval = outcome.approval;
    if (outcome.end) throw new PurchaseEnded(outcome.end.end, outcome.end.reason);
  }

  /** The id suffix of this run's latest NEEDS_ATTENTION entry: `<run>.<n>`. */
  private attentionId(): string {
    return `${this.status.runs}.${this.attentionEvents}`;
  }

  // --- steps and state -------------------------------------------------------------------------

  /**
   * Asks the worker, once per run, where it runs the DataCosmos steps: without a fleet budget, 'local' (see
   * datacosmosSteps). The answer is in the history, so a replay on any worker takes the same path.
   */
  private async placeSteps(): Promise<void> {
    if (this.stepsPlaced) return;
    this.stepsPlaced = true;
    const placement = await this.claims.datacosmosPlacement();
    if (placement === 'local') this.steps = datacosmosSteps(placement, this.stepTimeoutMs());
  }

  /** The claims as the end leaves them, by one update per registry from a local activity. */
  private async settleClaims(end: PurchaseEnd): Promise<void> {
    if (this.claimed.length === 0) return;
    const { orderId, orderStatus, organisationId } = this.status;
    await this.claims.settleClaims({
      taskQueue: workflowInfo().taskQueue,
      organisationId: organisationId as number,
      holder: this.status.purchaseId,
      items: this.claimed,
      settlement: settlementFor(end, orderId, orderStatus),
    });
  }

  /** The reservation as the end leaves it: spent, kept while its order may still be paid, or released. */
  private async settleSpend(result: PurchaseResult): Promise<void> {
    if (!this.spendReserved) return;
    const deadline = this.status.paymentDeadline;
    const unpaidUntil = deadline === null ? Date.now() + this.paymentWindow.ms : Date.parse(deadline);
    await this.claims.settleSpend({
      taskQueue: workflowInfo().taskQueue,
      organisationId: this.status.organisationId as number,
      settlement: spendSettlementFor(this.status.purchaseId, result, unpaidUntil),
    });
  }

  /** A long wait for claimed items starts over in a new run; its claims are granted to it again there. */
  private async startOverAsNew(): Promise<never> {
    await this.notifier.drained();
    await condition(allHandlersFinished);
    const restarted = { startedAt: this.status.startedAt, runs: this.status.runs + 1 };
    // The window as extended so far (the new run's checkout starts the deadline from it), held to what an input may
    // be: extensions before checkout add up without a cap.
    return continueAsNew<typeof purchaseWorkflow>({
      ...this.input,
      restarted,
      paymentWindowMs: Math.min(this.paymentWindow.ms, MAX_DURATION_MS),
    });
  }

  private async continueWaitingAsNew(): Promise<never> {
    await this.notifier.drained();
    await condition(allHandlersFinished);
    const carried = carriedStateOf(this.status, {
      contract: this.contract as ResolvedContract,
      claimed: this.claimed,
      spendReserved: this.spendReserved,
      ...this.payment.state(),
    });
    return continueAsNew<typeof purchaseWorkflow>({ ...this.input, carried });
  }

  private stopIfCancelled(): void {
    stopIfCancelled(this.inbox, this.status);
  }

  private ordering(): OrderingContext {
    return { steps: this.steps, attention: this.attention, inbox: this.inbox, status: this.status };
  }

  private endIfOrderCancelled(order: OrderSummary): void {
    if (order.status === 'CANCELLED') throw new PurchaseEnded('CANCELLED', cancelledByDataCosmos(order.orderId));
  }

  private finish(end: PurchaseEnd, reason: string | null, delivery?: ItemDelivery[]): PurchaseResult {
    return this.record.finish(end, reason, this.payment.startedAt, delivery);
  }

  private poll() {
    return this.input.poll ?? DEFAULT_POLL;
  }

  private historyEventLimit(): number {
    return this.input.historyEventLimit ?? DEFAULT_HISTORY_EVENT_LIMIT;
  }

  private stepTimeoutMs(): number {
    return this.input.activityTimeoutMs ?? DEFAULT_ACTIVITY_TIMEOUT_MS;
  }
}
