/**
 * Spend limits: what an organisation allows all its purchases together to commit in a calendar period. They live
 * in one ledger workflow per DataCosmos target (`spendLedgerId`), beside the claim registries: a purchase reserves
 * its priced total there before it creates an order (updates run one at a time, so two purchases never both take
 * the last of a limit), and the reservation becomes spend when its order is PAID or is released when it ends
 * without one. Pure types, shared by the ledger, the purchases' activities and the CLI.
 */
import type { ClaimScope } from './claim-types';

export const LIMIT_PERIODS = ['day', 'week', 'month', 'total'] as const;
export type LimitPeriod = (typeof LIMIT_PERIODS)[number];

/** What a limit counts: every purchase of the organisation, those under one contract, or one schedule's runs. */
export type LimitScope =
  { kind: 'organisation' } | { kind: 'contract'; contractId: number } | { kind: 'schedule'; scheduleId: string };

export interface SpendLimit {
  name: string;
  period: LimitPeriod;
  /** Decimal, in `currency`. */
  amount: string;
  currency: string;
  scope: LimitScope;
  /** The IANA time zone whose calendar days, weeks (from Monday) and months the periods are. */
  timeZone: string;
  setAt: string;
}

/** What a reservation is for: its money, and what decides which limits apply. */
export interface SpendRequest {
  holder: string;
  /** The priced total, decimal. */
  amount: string;
  currency: string;
  contractId: number;
  scheduleId: string | null;
  /** An approver accepted going over the limits that refused it: reserved all the same, and counted. */
  override?: boolean;
}

/**
 * A purchase's money in flight: RESERVED until it ends; UNPAID when it ended leaving an order that can still be
 * paid (kept until the order is paid or cancelled, or its payment deadline passes).
 */
export interface Reservation {
  holder: string;
  amount: string;
  currency: string;
  contractId: number;
  scheduleId: string | null;
  /** Epoch ms of the reservation: its spend counts in the period this falls in. */
  at: number;
  state: 'RESERVED' | 'UNPAID';
  orderId?: string;
  /** UNPAID: epoch ms after which the order is taken as never paid. */
  until?: number;
  override?: boolean;
}

/**
 * Paid spend summed per UTC hour of reservation, contract, schedule and currency:
 * `[hour (epoch ms / 3,600,000), contractId, scheduleId, currency, amount]`. Positional, as a batch's report rows
 * are: about 45 bytes each, so 40 days of hourly spend on several contracts stay a small state.
 */
export type SpentHour = [hour: number, contractId: number, scheduleId: string | null, currency: string, amount: string];

export type ReserveAnswer =
  { granted: true } | { granted: false; limit: string; left: string; currency: string; reason: string };

/** How a purchase leaves its reservation when it ends. */
export type SpendSettlement =
  | { holder: string; outcome: 'SPENT'; amount: string }
  | { holder: string; outcome: 'UNPAID'; orderId: string; until: number }
  | { holder: string; outcome: 'RELEASED' };

export interface LedgerState {
  limits: SpendLimit[];
  reservations: Reservation[];
  spentHours: SpentHour[];
  /** Paid spend before the hours kept, per contract, schedule and currency: what `total` limits count. */
  spentBefore: SpentHour[];
}

export interface LedgerInput extends ClaimScope {
  /** Carried by continue-as-new. */
  state?: LedgerState;
  /** When the last run last checked its reservations (ms since the epoch), carried by continue-as-new. */
  lastCheckAt?: number;
  /** How often reservations of ended holders and unpaid orders are checked (tests make it short). */
  checkEveryMs?: number;
  /** Events after which the ledger carries its state into a new run (tests make it small). */
  historyEventLimit?: number;
}

/** One limit as it stands in its current period. */
export interface LimitReport {
  limit: SpendLimit;
  periodStart: string | null;
  periodEnd: string | null;
  spent: string;
  reserved: string;
  left: string;
  holders: Array<Pick<Reservation, 'holder' | 'amount' | 'state'>>;
}

/** The one ledger of a DataCosmos target (its task queue) and organisation. */
export function spendLedgerId(scope: ClaimScope): string {
  return `spend/${scope.taskQueue}/${scope.organisationId}`;
}
