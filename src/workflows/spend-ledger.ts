/**
 * The spend ledger of one DataCosmos target and organisation: its limits, the reservations of purchases in flight
 * and the spend of paid ones. Purchases reserve with an update before they create an order and settle when they end
 * (handlers run one at a time, so concurrent purchases never both take what is left). Reservations whose holder
 * ended without settling (terminated), and those kept for an unpaid order, are checked now and then, as the claim
 * registry checks its claims. The state continues as new before the history grows large.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  metricMeter,
  patched,
  proxyActivities,
  setHandler,
  setWorkflowOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { DEFAULT_CLAIM_CHECK_S, type HolderFacts } from '../shared/claim-types';
import { METRIC } from '../shared/metric-names';
import { DEFAULT_PAYMENT_WINDOW_MS } from '../shared/purchase-types';
import { STEP_RETRY } from '../shared/retry-policies';
import * as ledgerMessages from '../shared/spend-limit-messages';
import type { LedgerInput, LedgerState, Reservation, SpendRequest, SpendSettlement } from '../shared/spend-limit-types';
import {
  emptyLedger,
  limitReports,
  nextPeriodEnd,
  pruneLedger,
  reserveSpend,
  setLimit,
  settleSpend,
} from '../shared/spend-limits';
import { datacosmosTaskQueue } from '../shared/task-queues';
import { historyFull } from './history-full';
import { versionedAs } from './versioning';

type Activities = ReturnType<typeof createActivities>;

/** Reservations are checked this often by default, as claims are. */
const DEFAULT_CHECK_EVERY_MS = DEFAULT_CLAIM_CHECK_S * 1000;
const HISTORY_EVENT_LIMIT = 4_000;

/**
 * Ledgers from this change on read an unpaid order at its payment deadline before they let its reservation go: paid
 * since the last check, it is spend. Asked once per run, in its first workflow task; older runs replay without.
 */
const READ_AT_DEADLINE_PATCH = 'ledger-reads-unpaid-at-deadline';

export async function spendLedgerWorkflow(input: LedgerInput): Promise<void> {
  await new SpendLedger(input).run();
}

/** AUTO_UPGRADE: a ledger lives for ever, so it moves to each new build at its next task (its changes need patches). */
setWorkflowOptions(versionedAs('AUTO_UPGRADE'), spendLedgerWorkflow);

class SpendLedger {
  private readonly state: LedgerState;
  private readonly holderApi: Activities;
  private readonly orderApi: Activities;
  private readonly readsAtDeadline: boolean;
  /**
   * When reservations were last checked, carried through continue-as-new: a ledger busy enough to fill a run's
   * history within one interval would otherwise never check. The first check comes an interval after it starts.
   */
  private lastCheck: number;

  constructor(private readonly input: LedgerInput) {
    this.state = input.state ?? emptyLedger();
    this.lastCheck = input.lastCheckAt ?? Date.now();
    this.readsAtDeadline = patched(READ_AT_DEADLINE_PATCH);
    this.holderApi = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry: STEP_RETRY });
    // Order reads share the purchases' DataCosmos queue, and with it the fleet budget.
    this.orderApi = proxyActivities<Activities>({
      startToCloseTimeout: '2m',
      retry: STEP_RETRY,
      taskQueue: datacosmosTaskQueue(input.taskQueue),
    });
    setHandler(
      ledgerMessages.reserveSpendUpdate,
      (request) => this.changed(reserveSpend(this.state, request, Date.now())),
      {
        validator: (request: SpendRequest) => {
          if (!request || typeof request.holder !== 'string' || typeof request.amount !== 'string') {
            throw new Error('reserveSpend: holder and amount are required');
          }
        },
      },
    );
    // Purchases of earlier builds settled by this update; later ones send settleSignal.
    setHandler(ledgerMessages.settleSpendUpdate, (settlement) => this.changed(settleSpend(this.state, settlement)));
    // No limit was there to refuse it when it was sent; one set since counts it all the same.
    setHandler(ledgerMessages.reserveSignal, (request) => {
      this.changed(reserveSpend(this.state, { ...request, override: true }, Date.now()));
    });
    setHandler(ledgerMessages.settleSignal, (settlement) => this.changed(settleSpend(this.state, settlement)));
    setHandler(ledgerMessages.limitCountQuery, () => this.state.limits.length);
    setHandler(ledgerMessages.setLimitUpdate, (limit) => this.changed(setLimit(this.state, limit)));
    setHandler(ledgerMessages.removeLimitUpdate, (name) => {
      const before = this.state.limits.length;
      this.state.limits = this.state.limits.filter((l) => l.name !== name);
      return this.changed(this.state.limits.length < before);
    });
    setHandler(ledgerMessages.ledgerQuery, () => this.state);
  }

  async run(): Promise<void> {
    for (;;) {
      // Wakes to check reservations (while there are any), to release an unpaid order's at its deadline, and at the
      // end of a limit's period (so the metric starts the new one); at once when the first reservation comes, or an
      // order kept unpaid since has a deadline before this timer.
      const idle = this.state.reservations.length === 0;
      const wakeMs = this.nextWakeMs();
      const wakeAt = Date.now() + wakeMs;
      const sooner = () => this.readsAtDeadline && Date.now() + this.nextWakeMs() < wakeAt;
      const wake = () => (idle && this.state.reservations.length > 0) || sooner() || this.historyFull();
      if (wakeMs === Infinity) await condition(wake);
      else await condition(wake, wakeMs);
      if (this.readsAtDeadline) await this.readUnpaid((r) => (r.until ?? 0) <= Date.now());
      if (this.historyFull()) {
        await condition(allHandlersFinished);
        pruneLedger(this.state, Date.now());
        await continueAsNew<typeof spendLedgerWorkflow>({
          ...this.input,
          state: this.state,
          lastCheckAt: this.lastCheck,
        });
      }
      pruneLedger(this.state, Date.now());
      if (this.state.reservations.length > 0 && this.checkDue()) await this.checkReservations();
      this.changed(undefined);
    }
  }

  private checkDue(): boolean {
    if (Date.now() - this.lastCheck < this.checkEveryMs()) return false;
    this.lastCheck = Date.now();
    return true;
  }

  private checkEveryMs(): number {
    return this.input.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS;
  }

  private nextWakeMs(): number {
    const now = Date.now();
    const deadlines = this.state.reservations.filter((r) => r.until !== undefined).map((r) => r.until as number);
    const check = this.state.reservations.length > 0 ? this.lastCheck + this.checkEveryMs() : Infinity;
    const next = Math.min(check, nextPeriodEnd(this.state, now), ...deadlines);
    return next === Infinity ? Infinity : Math.max(1, next - now);
  }

  /** After every change: the metric of each limit (its amount, spent and reserved in the current period). */
  private changed<T>(result: T): T {
    const gauge = metricMeter.createGauge(METRIC.spendLimit, 'float', 'currency', 'spend limits in their period');
    for (const report of limitReports(this.state, Date.now())) {
      const tags = { limit: report.limit.name, currency: report.limit.currency };
      gauge.set(Number(report.limit.amount), { ...tags, kind: 'limit' });
      gauge.set(Number(report.spent), { ...tags, kind: 'spent' });
      gauge.set(Number(report.reserved), { ...tags, kind: 'reserved' });
    }
    return result;
  }

  /**
   * Reservations of holders that ended without settling are settled from what the holder left (its order and that
   * order's last status); orders kept UNPAID are read: PAID makes the reservation spend, CANCELLED releases it.
   */
  private async checkReservations(): Promise<void> {
    const reserved = this.state.reservations.filter((r) => r.state === 'RESERVED');
    if (reserved.length > 0) {
      const facts = await this.holderApi.describeClaimHolders({ holders: reserved.map((r) => r.holder) });
      for (const fact of facts) {
        if (!fact.running) settleSpend(this.state, settlementOf(fact, this.reservationOf(fact.holder)));
      }
    }
    await this.readUnpaid(() => true);
  }

  /** Reads the orders kept UNPAID (those `which` picks): PAID makes the reservation spend, CANCELLED releases it. */
  private async readUnpaid(which: (reservation: Reservation) => boolean): Promise<void> {
    const unpaid = this.state.reservations.filter((r) => r.state === 'UNPAID' && r.orderId !== undefined && which(r));
    if (unpaid.length === 0) return;
    const statuses = await this.orderApi.readOrderStatuses({ orderIds: unpaid.map((r) => r.orderId as string) });
    for (const r of unpaid) {
      const status = statuses[r.orderId as string];
      if (status === 'PAID') settleSpend(this.state, { holder: r.holder, outcome: 'SPENT', amount: r.amount });
      if (status === 'CANCELLED') settleSpend(this.state, { holder: r.holder, outcome: 'RELEASED' });
    }
  }

  private reservationOf(holder: string): Reservation | undefined {
    return this.state.reservations.find((r) => r.holder === holder);
  }

  private historyFull(): boolean {
    return historyFull(this.input.historyEventLimit ?? HISTORY_EVENT_LIMIT);
  }
}

/** What an ended holder's reservation becomes: spend with a PAID order, kept for another open order, else released. */
function settlementOf(fact: HolderFacts, reservation: Reservation | undefined): SpendSettlement {
  const { holder } = fact;
  if (!reservation || fact.orderId === null || fact.orderStatus === 'CANCELLED') return { holder, outcome: 'RELEASED' };
  if (fact.orderStatus === 'PAID') return { holder, outcome: 'SPENT', amount: reservation.amount };
  return { holder, outcome: 'UNPAID', orderId: fact.orderId, until: reservation.at + DEFAULT_PAYMENT_WINDOW_MS };
}
