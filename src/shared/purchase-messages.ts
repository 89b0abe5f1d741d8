/** Queries, signals and updates of the purchase workflow, shared by the workflow and its clients. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { AdoptOrder, ApprovalDecision, DeadlineExtension, PurchaseStatus } from './purchase-types';

export const statusQuery = defineQuery<PurchaseStatus>('status');
/** Ends the purchase CANCELLED; before ordering nothing is created. */
export const cancelSignal = defineSignal<[reason?: string]>('cancel');
/** A payment webhook or an operator says the order was paid: re-check at once. */
export const paymentCompletedSignal = defineSignal<[orderId?: string]>('paymentCompleted');
/** Approve (or deny) an over-budget purchase; rejected by its validator when nothing awaits approval. */
export const approveUpdate = defineUpdate<PurchaseStatus, [decision: ApprovalDecision]>('approve');
/** Moves the payment deadline later; returns the new deadline (ISO). */
export const extendDeadlineUpdate = defineUpdate<string, [extension: DeadlineExtension]>('extendDeadline');
/**
 * Attaches the real order to a purchase in NEEDS_ATTENTION whose create could not be settled; the purchase then
 * carries on to checkout and payment. Refused when the order cannot be this purchase's.
 */
export const adoptOrderUpdate = defineUpdate<PurchaseStatus, [adoption: AdoptOrder]>('adoptOrder');
