/**
 * The spend-limit rules, pure: the calendar period a limit counts, which limits a purchase falls under, whether a
 * reservation fits, and what an ending purchase leaves. Used by the ledger workflow (with the workflow clock) and
 * by `dcp limits list` (with the real clock). A reservation's spend counts in the period it was reserved in, even
 * when its order is paid after the period ended.
 */
import { add, compare, subtract } from './money';
import type {
  LedgerState,
  LimitReport,
  ReserveAnswer,
  SpendLimit,
  SpendRequest,
  SpendSettlement,
  SpentHour,
} from './spend-limit-types';

const HOUR_MS = 3_600_000;
/** Paid spend is kept per hour this long (the longest calendar period and a margin), then summed per scope. */
export const SPENT_HOURS_KEPT_MS = 40 * 24 * HOUR_MS;

/** One formatter per time zone: making one costs more than the rest of a period's reckoning. */
const wallClocks = new Map<string, Intl.DateTimeFormat>();

function wallClock(timeZone: string): Intl.DateTimeFormat {
  let format = wallClocks.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallClocks.set(timeZone, format);
  }
  return format;
}

/** The zone's offset from UTC at an instant, in ms (what to add to UTC to get the wall clock there). */
function zoneOffsetMs(timeZone: string, atMs: number): number {
  const parts = wallClock(timeZone).formatToParts(new Date(atMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(atMs / 1000) * 1000;
}

/** The instant a wall-clock time of the zone (given as if it were UTC) happens. */
function wallToInstant(timeZone: string, wallMs: number): number {
  const guess = wallMs - zoneOffsetMs(timeZone, wallMs);
  return wallMs - zoneOffsetMs(timeZone, guess);
}

/** Why a time zone cannot be used for limits, or null. Periods start on whole UTC hours, as paid spend is kept. */
export function timeZoneProblem(timeZone: string, atMs: number): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return `unknown time zone ${JSON.stringify(timeZone)} (give an IANA name such as UTC or Europe/Madrid)`;
  }
  const halfYear = 183 * 24 * HOUR_MS;
  if ([atMs, atMs + halfYear].some((t) => zoneOffsetMs(timeZone, t) % HOUR_MS !== 0)) {
    return `time zone ${timeZone} is not a whole number of hours from UTC: limits count whole hours`;
  }
  return null;
}

/** The calendar period of the limit an instant falls in ([start, end) in epoch ms); null bounds for `total`. */
export function periodOf(
  limit: Pick<SpendLimit, 'period' | 'timeZone'>,
  atMs: number,
): { start: number | null; end: number | null } {
  if (limit.period === 'total') return { start: null, end: null };
  const wall = new Date(atMs + zoneOffsetMs(limit.timeZone, atMs));
  const [y, m, d] = [wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate()];
  const mondayOffset = (wall.getUTCDay() + 6) % 7;
  const [from, to] =
    limit.period === 'day'
      ? [Date.UTC(y, m, d), Date.UTC(y, m, d + 1)]
      : limit.period === 'week'
        ? [Date.UTC(y, m, d - mondayOffset), Date.UTC(y, m, d - mondayOffset + 7)]
        : [Date.UTC(y, m, 1), Date.UTC(y, m + 1, 1)];
  return { start: wallToInstant(limit.timeZone, from), end: wallToInstant(limit.timeZone, to) };
}

function within(period: { start: number | null; end: number | null }, atMs: number): boolean {
  return (period.start === null || atMs >= period.start) && (period.end === null || atMs < period.end);
}

/** Whether a limit's scope takes in purchases under this contract and schedule. */
export function limitApplies(limit: SpendLimit, spend: { contractId: number; scheduleId: string | null }): boolean {
  const { scope } = limit;
  if (scope.kind === 'contract') return scope.contractId === spend.contractId;
  if (scope.kind === 'schedule') return scope.scheduleId === spend.scheduleId;
  return true;
}

/** What counts against a limit now: paid spend and reservations in its current period, in its currency. */
export function limitReport(state: LedgerState, limit: SpendLimit, nowMs: number): LimitReport {
  const period = periodOf(limit, nowMs);
  const counted = (entry: { contractId: number; scheduleId: string | null; currency: string }) =>
    entry.currency === limit.currency && limitApplies(limit, entry);
  const countedHour = ([, contractId, scheduleId, currency]: SpentHour) =>
    counted({ contractId, scheduleId, currency });
  const hours = state.spentHours.filter((h) => countedHour(h) && within(period, h[0] * HOUR_MS));
  const before = limit.period === 'total' ? state.spentBefore.filter(countedHour) : [];
  const spent = add('0', ...[...hours, ...before].map((h) => h[4]));
  const holding = state.reservations.filter((r) => counted(r) && within(period, r.at));
  const reserved = add('0', ...holding.map((r) => r.amount));
  const left = subtract(limit.amount, add(spent, reserved));
  return {
    limit,
    periodStart: period.start === null ? null : new Date(period.start).toISOString(),
    periodEnd: period.end === null ? null : new Date(period.end).toISOString(),
    spent,
    reserved,
    left: compare(left, '0') < 0 ? '0' : left,
    holders: holding.map(({ holder, amount, state: s }) => ({ holder, amount, state: s })),
  };
}

export function limitReports(state: LedgerState, nowMs: number): LimitReport[] {
  return [...state.limits].sort((a, b) => a.name.localeCompare(b.name)).map((l) => limitReport(state, l, nowMs));
}

function periodText(report: LimitReport): string {
  const { limit } = report;
  return limit.period === 'total' ? 'in total' : `${limit.period} from ${report.periodStart} (${limit.timeZone})`;
}

/**
 * The least any limit over this spend leaves now, and which limit that is; null when no limit applies. A limit in
 * another currency leaves nothing (its purchases would be refused).
 */
export function leastLeft(
  state: LedgerState,
  spend: { contractId: number; scheduleId: string | null; currency: string },
  nowMs: number,
): { limit: string; left: string } | null {
  let least: { limit: string; left: string } | null = null;
  for (const report of limitReports(state, nowMs)) {
    if (!limitApplies(report.limit, spend)) continue;
    const left = report.limit.currency === spend.currency ? report.left : '0';
    if (least === null || compare(left, least.left) < 0) least = { limit: report.limit.name, left };
  }
  return least;
}

/** When the next limit's period ends (its spend and reservations stop counting), epoch ms; Infinity without one. */
export function nextPeriodEnd(state: LedgerState, nowMs: number): number {
  const ends = state.limits.map((l) => periodOf(l, nowMs).end).filter((end): end is number => end !== null);
  return ends.length === 0 ? Infinity : Math.min(...ends);
}

/**
 * Reserves the request's total against every limit it falls under, or says which limit refuses it and what is left.
 * Idempotent per holder: a holder with a reservation gets it again, unchanged.
 */
export function reserveSpend(state: LedgerState, request: SpendRequest, nowMs: number): ReserveAnswer {
  if (state.reservations.some((r) => r.holder === request.holder)) return { granted: true };
  const spend = { contractId: request.contractId, scheduleId: request.scheduleId };
  for (const report of limitReports(state, nowMs)) {
    const { limit } = report;
    if (!limitApplies(limit, spend)) continue;
    const refusal = (reason: string): ReserveAnswer => ({
      granted: false,
      limit: limit.name,
      left: report.left,
      currency: limit.currency,
      reason: `spend limit "${limit.name}" (${periodText(report)}): ${reason}`,
    });
    if (limit.currency !== request.currency && !request.override) {
      return refusal(`it counts ${limit.currency}, and this purchase is priced in ${request.currency}`);
    }
    if (compare(request.amount, report.left) > 0 && !request.override) {
      return refusal(
        `${report.left} ${limit.currency} left of ${limit.amount}, and this purchase costs ${request.amount} ${request.currency}`,
      );
    }
  }
  const { holder, amount, currency, contractId, scheduleId } = request;
  state.reservations.push({
    holder,
    amount,
    currency,
    contractId,
    scheduleId,
    at: nowMs,
    state: 'RESERVED',
    ...(request.override ? { override: true } : {}),
  });
  return { granted: true };
}

function addSpent(hours: SpentHour[], entry: SpentHour): void {
  const same = hours.find((h) => h[0] === entry[0] && h[1] === entry[1] && h[2] === entry[2] && h[3] === entry[3]);
  if (same) same[4] = add(same[4], entry[4]);
  else hours.push([...entry]);
}

/** Applies an ending purchase's settlement to its reservation; a holder without one (settled already) is ignored. */
export function settleSpend(state: LedgerState, settlement: SpendSettlement): void {
  const index = state.reservations.findIndex((r) => r.holder === settlement.holder);
  if (index < 0) return;
  const reservation = state.reservations[index];
  if (settlement.outcome === 'UNPAID') {
    state.reservations[index] = {
      ...reservation,
      state: 'UNPAID',
      orderId: settlement.orderId,
      until: settlement.until,
    };
    return;
  }
  state.reservations.splice(index, 1);
  if (settlement.outcome === 'SPENT') {
    const { contractId, scheduleId, currency } = reservation;
    addSpent(state.spentHours, [
      Math.floor(reservation.at / HOUR_MS),
      contractId,
      scheduleId,
      currency,
      settlement.amount,
    ]);
  }
}

/**
 * Keeps the state bounded: UNPAID reservations past their deadline are released, and paid hours older than
 * SPENT_HOURS_KEPT_MS are summed per contract, schedule and currency (only `total` limits still count them).
 */
export function pruneLedger(state: LedgerState, nowMs: number): void {
  state.reservations = state.reservations.filter((r) => r.state !== 'UNPAID' || (r.until ?? 0) > nowMs);
  const cutoff = (nowMs - SPENT_HOURS_KEPT_MS) / HOUR_MS;
  const old = state.spentHours.filter((h) => h[0] < cutoff);
  if (old.length === 0) return;
  state.spentHours = state.spentHours.filter((h) => h[0] >= cutoff);
  for (const [, contractId, scheduleId, currency, amount] of old) {
    addSpent(state.spentBefore, [0, contractId, scheduleId, currency, amount]);
  }
}

/** Sets (or replaces, by name) a limit. */
export function setLimit(state: LedgerState, limit: SpendLimit): void {
  state.limits = [...state.limits.filter((l) => l.name !== limit.name), limit];
}

/**
 * How an ending purchase leaves its reservation: spend with a PAID order (its total), kept until `unpaidUntil` with
 * an order that may still be paid, released otherwise (no order, or a cancelled one).
 */
export function spendSettlementFor(
  holder: string,
  end: { orderId: string | null; orderStatus: string | null; total: string | null },
  unpaidUntil: number,
): SpendSettlement {
  if (end.orderId === null || end.orderStatus === 'CANCELLED') return { holder, outcome: 'RELEASED' };
  if (end.orderStatus === 'PAID' && end.total !== null) return { holder, outcome: 'SPENT', amount: end.total };
  return { holder, outcome: 'UNPAID', orderId: end.orderId, until: unpaidUntil };
}

export function emptyLedger(): LedgerState {
  return { limits: [], reservations: [], spentHours: [], spentBefore: [] };
}
