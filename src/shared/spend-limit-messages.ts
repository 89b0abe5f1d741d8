/** Messages of the spend ledger workflow, shared by the ledger, the purchases' activities and the CLI. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  LedgerState,
  ReserveAnswer,
  SettlementRecord,
  SpendLimit,
  SpendRequest,
  SpendSettlement,
} from './spend-limit-types';

/** Reserves a purchase's priced total against the limits it falls under, or refuses. Idempotent per holder. */
export const reserveSpendUpdate = defineUpdate<ReserveAnswer, [request: SpendRequest]>('reserveSpend');
/** An ending purchase turns its reservation into spend, keeps it for an unpaid order, or releases it. */
export const settleSpendUpdate = defineUpdate<void, [settlement: SpendSettlement]>('settleSpend');
/**
 * The same as a signal, with what the purchase priced: sent by ending purchases, which do not wait for the ledger
 * (a settlement that is lost is made by the ledger's check of ended holders).
 */
export const settlementSignal = defineSignal<[record: SettlementRecord]>('recordSettlement');
/** How many limits the ledger holds: a purchase reserves only when there is one. */
export const limitCountQuery = defineQuery<number>('limitCount');
/** Sets or replaces a limit by name. */
export const setLimitUpdate = defineUpdate<void, [limit: SpendLimit]>('setLimit');
/** Removes a limit by name; false when there was none. */
export const removeLimitUpdate = defineUpdate<boolean, [name: string]>('removeLimit');
/** The ledger's state; reports are computed from it with the asker's clock (see limitReports). */
export const ledgerQuery = defineQuery<LedgerState>('ledger');
