/** Messages of the spend ledger workflow, shared by the ledger, the purchases' activities and the CLI. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { LedgerState, ReserveAnswer, SpendLimit, SpendRequest, SpendSettlement } from './spend-limit-types';

/** Reserves a purchase's priced total against the limits it falls under, or refuses. Idempotent per holder. */
export const reserveSpendUpdate = defineUpdate<ReserveAnswer, [request: SpendRequest]>('reserveSpend');
/** An ending purchase turns its reservation into spend, keeps it for an unpaid order, or releases it. */
export const settleSpendUpdate = defineUpdate<void, [settlement: SpendSettlement]>('settleSpend');
/**
 * A reservation nobody waits for: made while the organisation has no limit (nothing can refuse it), so the purchase
 * does not queue behind the others; held like any other, and counted by a limit set later.
 */
export const reserveSignal = defineSignal<[request: SpendRequest]>('reserveSpend');
/** The settlement as a signal: sent by ending purchases, which do not wait for the ledger (idempotent per holder). */
export const settleSignal = defineSignal<[settlement: SpendSettlement]>('settleSpend');
/** How many limits the ledger holds: a purchase waits for an answer to its reservation only when there is one. */
export const limitCountQuery = defineQuery<number>('limitCount');
/** Sets or replaces a limit by name. */
export const setLimitUpdate = defineUpdate<void, [limit: SpendLimit]>('setLimit');
/** Removes a limit by name; false when there was none. */
export const removeLimitUpdate = defineUpdate<boolean, [name: string]>('removeLimit');
/** The ledger's state; reports are computed from it with the asker's clock (see limitReports). */
export const ledgerQuery = defineQuery<LedgerState>('ledger');
