/** A purchase's business end, thrown where the lifecycle learns it and caught once by the purchase. */
import { cancelledReason } from '../shared/purchase-state';
import type { PurchaseEnd, PurchaseStatus } from '../shared/purchase-types';
import type { Inbox } from './purchase-handlers';

export class PurchaseEnded extends Error {
  constructor(
    readonly end: PurchaseEnd,
    readonly reason: string | null,
  ) {
    super(reason ?? end);
  }
}

/** Ends the purchase CANCELLED once a cancel has arrived, saying what it leaves behind. */
export function stopIfCancelled(inbox: Inbox, status: PurchaseStatus): void {
  const reason = inbox.cancelReason;
  if (reason !== null) throw new PurchaseEnded('CANCELLED', cancelledReason(reason, status));
}
