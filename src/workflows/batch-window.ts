/**
 * The batch's purchases: groups of queued items bought as child purchase workflows in a sliding window of
 * `concurrency`, each group's end settled into the batch's money and rows; on cancel, the queue reported and the
 * running purchases asked to end cleanly.
 */
import { condition, getExternalWorkflowHandle, ParentClosePolicy, patched, startChild } from '@temporalio/workflow';
import { groupEnded, groupFailed, groupPurchaseInput, rowOf } from '../shared/batch-groups';
import type { BatchCarried, BatchInput, PlannedItem } from '../shared/batch-types';
import { subtract } from '../shared/money';
import { cancelSignal } from '../shared/purchase-messages';
import { purchaseItemsValue, takeGroup, takeShardGroup } from '../shared/purchase-groups';
import { BatchIdKey, OrganisationIdKey, PurchaseItemsKey, PurchaseStageKey } from '../shared/search-attributes';
import type { BatchRows } from './batch-rows';
import { purchaseWorkflow } from './purchase';

/** Groups are taken by claim shard since this patch; batches started before it replay taking them in queue order. */
const SHARD_GROUPS_PATCH = 'claim-shard-groups';

export class PurchaseWindow {
  /** The running purchases, by id, with their items. */
  private readonly running = new Map<string, PlannedItem[]>();
  /** Set once the running purchases have been asked to cancel. */
  private stopping = false;
  /** The purchases asked to cancel: each is asked once. */
  private readonly asked = new Set<string>();

  constructor(
    private readonly input: BatchInput,
    private readonly state: BatchCarried,
    private readonly rows: BatchRows,
    private readonly sizes: { groupSize: number; concurrency: number },
    /**
     * After each group's end is settled: a step to await, if any (a coverage batch may have reached its target).
     * Null when there is none, so a group's end takes the same turns it did before the batch was split.
     */
    private readonly groupSettled: () => Promise<void> | null,
    private readonly rules: {
      /** Whether a purchase that starts after the others were asked is asked too (behind a patch of the batch's). */
      asksLateStarts: boolean;
      /** Whether a purchase that left an order open keeps its money reserved (behind a patch of the batch's). */
      keepsOpenOrdersMoney: boolean;
    } = { asksLateStarts: false, keepsOpenOrdersMoney: false },
  ) {}

  /** How many purchases run. */
  get size(): number {
    return this.running.size;
  }

  /** Items in the running purchases. */
  inFlight(): number {
    let items = 0;
    for (const group of this.running.values()) items += group.length;
    return items;
  }

  /** Starts purchases for full groups (or the last, partial one) while the window has room. */
  startWhileRoom(): void {
    const s = this.state;
    const { groupSize, concurrency } = this.sizes;
    while (this.running.size < concurrency && (s.queue.length >= groupSize || (s.exhausted && s.queue.length > 0))) {
      const group = patched(SHARD_GROUPS_PATCH) ? takeShardGroup(s.queue, groupSize) : takeGroup(s.queue, groupSize);
      const purchaseId = `${this.input.batchId}/${s.nextGroup}`;
      s.nextGroup += 1;
      this.running.set(purchaseId, group);
      void this.buyGroup(purchaseId, group).finally(() => this.running.delete(purchaseId));
    }
  }

  private async buyGroup(purchaseId: string, group: PlannedItem[]): Promise<void> {
    const s = this.state;
    const contract = { contractId: s.contractId, currency: s.currency };
    let ended;
    try {
      const child = await startChild(purchaseWorkflow, {
        workflowId: purchaseId,
        args: [groupPurchaseInput(this.input, contract, purchaseId, group)],
        parentClosePolicy: ParentClosePolicy.REQUEST_CANCEL,
        typedSearchAttributes: [
          { key: BatchIdKey, value: this.input.batchId },
          { key: PurchaseStageKey, value: 'VALIDATING' },
          { key: PurchaseItemsKey, value: purchaseItemsValue(group) },
          ...(s.organisationId === null ? [] : [{ key: OrganisationIdKey, value: String(s.organisationId) }]),
        ],
      });
      if (this.stopping && this.rules.asksLateStarts) await this.askToCancel(purchaseId);
      const result = await child.result();
      ended = groupEnded(group, { reserved: s.reserved, spent: s.spent }, result, this.rules.keepsOpenOrdersMoney);
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
      const reason = `purchase ${purchaseId} failed: ${cause instanceof Error ? cause.message : String(cause)}`;
      ended = groupFailed(group, { reserved: s.reserved, spent: s.spent }, reason);
    }
    s.reserved = ended.reserved;
    s.spent = ended.spent;
    for (const { row, coverKm2 } of ended.rows) this.rows.add(row, coverKm2);
    const step = this.groupSettled();
    if (step) await step;
  }

  /** Cancel: nothing new starts, queued items are reported, running purchases are asked to end cleanly. */
  async stop(): Promise<void> {
    const s = this.state;
    for (const line of s.queue.splice(0)) {
      s.reserved = subtract(s.reserved, line.price);
      this.rows.add(rowOf(line, 'CANCELLED', { reason: `${s.cancelReason}; no purchase was started` }));
    }
    await this.askRunningToCancel();
    await this.drained();
  }

  /** Asks every running purchase not asked yet to cancel (and any that starts later, behind the batch's patch). */
  async askRunningToCancel(): Promise<void> {
    this.stopping = true;
    const ids = [...this.running.keys()].filter((id) => !this.asked.has(id));
    for (const id of ids) this.asked.add(id);
    await Promise.all(ids.map((id) => this.askToCancel(id)));
  }

  /** A purchase whose start is still pending cannot be signalled yet: it is asked again once it has started. */
  private async askToCancel(purchaseId: string): Promise<void> {
    await getExternalWorkflowHandle(purchaseId)
      .signal(cancelSignal, this.state.cancelReason ?? 'cancelled')
      .catch(() => undefined);
  }

  /** Until every running purchase has ended. */
  async drained(): Promise<void> {
    await condition(() => this.running.size === 0);
  }
}
