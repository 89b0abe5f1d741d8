/**
 * NEEDS_ATTENTION: a step whose outcome the API does not tell (an order create whose reply was lost, a checkout
 * or an order read whose path is not served) puts the purchase at rest until a later try settles it, an operator
 * adopts the order, or it is cancelled. Tries come at growing intervals, up to an hour, so a long rest stays a
 * small history.
 */
import { condition } from '@temporalio/workflow';
import { attentionRetryMs } from '../shared/attention-rules';
import type { Attention as AttentionState } from '../shared/purchase-types';
import type { Inbox } from './purchase-handlers';
import type { PurchaseRecord } from './purchase-record';

export class Attention {
  private retries = 0;

  constructor(
    private readonly record: PurchaseRecord,
    private readonly inbox: Inbox,
    private readonly pollCapMs: number,
    /** Called each time the purchase enters NEEDS_ATTENTION. */
    private readonly onEnter: (attention: AttentionState) => void = () => undefined,
  ) {}

  /** Rests until an order is adopted, the purchase is cancelled, or it is time to try the step again. */
  async rest(reason: string, resolve: string): Promise<void> {
    const status = this.record.status;
    const retryMs = attentionRetryMs(this.pollCapMs, this.retries);
    this.retries += 1;
    this.note(reason, resolve);
    status.lastError = reason;
    status.nextCheckAt = new Date(Date.now() + retryMs).toISOString();
    await condition(() => this.inbox.adopted !== null || this.inbox.cancelReason !== null, retryMs);
    status.nextCheckAt = null;
  }

  /** Records why the purchase needs attention (since the first time), in NEEDS_ATTENTION. */
  note(reason: string, resolve: string): void {
    const status = this.record.status;
    status.attention = { reason, resolve, since: status.attention?.since ?? new Date().toISOString() };
    if (status.stage !== 'NEEDS_ATTENTION') {
      this.record.setStage('NEEDS_ATTENTION');
      this.onEnter(status.attention);
    }
  }

  /** A step settled: whatever needed attention no longer does. */
  settled(): void {
    if (this.record.status.attention === null) return;
    this.record.status.attention = null;
    this.retries = 0;
  }
}
