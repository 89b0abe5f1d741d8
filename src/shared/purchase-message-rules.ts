/**
 * When a purchase takes its updates, pure: each returns why the update is refused in the purchase's present state
 * (the update then fails with that reason and changes nothing), or null when it is taken.
 */
import { PURCHASE_ENDS, type AdoptOrder, type DeadlineExtension, type PurchaseStatus } from './purchase-types';
import { isDurationMs } from './duration';

export function approvalRefusal(status: PurchaseStatus, decided: boolean): string | null {
  return status.stage !== 'AWAITING_APPROVAL' || decided
    ? `nothing awaits approval: purchase ${status.purchaseId} is ${status.stage}`
    : null;
}

/** `orderRequested`: whether the purchase has asked for an order (an adopted one is checked against that request). */
export function adoptionRefusal(
  status: PurchaseStatus,
  adoption: AdoptOrder | undefined,
  orderRequested: boolean,
  adoptionUnderWay: boolean,
): string | null {
  if (typeof adoption?.orderId !== 'string' || !/^\S{1,200}$/.test(adoption.orderId)) {
    return 'adoptOrder: orderId must be an order id (1 to 200 characters, no spaces)';
  }
  if (status.stage !== 'NEEDS_ATTENTION' || !orderRequested || status.orderId !== null) {
    return (
      `nothing to adopt: purchase ${status.purchaseId} is ${status.stage}` +
      (status.orderId ? ` with order ${status.orderId}` : '')
    );
  }
  return adoptionUnderWay ? 'an order is being adopted already' : null;
}

export function extensionRefusal(status: PurchaseStatus, extension: DeadlineExtension | undefined): string | null {
  if (!extension || !isDurationMs(extension.byMs)) {
    return 'extendDeadline: byMs must be a positive number of milliseconds, at most ten years';
  }
  return isEnded(status) ? `purchase ${status.purchaseId} has already ended ${status.stage}` : null;
}

export function isEnded(status: Pick<PurchaseStatus, 'stage'>): boolean {
  return (PURCHASE_ENDS as readonly string[]).includes(status.stage);
}
