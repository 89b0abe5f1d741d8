/**
 * The claim registry of one organisation's shard of items: who may order each item. Purchases claim items with an
 * update before they create an order (handlers run one at a time, so two purchases never both get an item), and
 * settle their claims with a signal when they end. Claims whose holder ended without settling (terminated), and
 * claims watching an order that was neither paid nor cancelled, are checked now and then: a claim is never left
 * held forever, and an item is OWNED only once a PAID order holds it. The state continues as new before the
 * history grows large.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  setWorkflowOptions,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { claimItemsUpdate, claimsQuery, releaseClaimsUpdate, settleClaimsUpdate } from '../shared/claim-messages';
import {
  DEFAULT_CLAIM_CHECK_S,
  type Claim,
  type ClaimGrant,
  type ClaimRequest,
  type ClaimSettlement,
  type HolderFacts,
  type RegistryInput,
  type SettleClaims,
} from '../shared/claim-types';
import { STEP_RETRY } from '../shared/retry-policies';
import { datacosmosTaskQueue } from '../shared/task-queues';
import { historyFull } from './history-full';
import { versionedAs } from './versioning';

type Activities = ReturnType<typeof createActivities>;

/** Held and watched claims are checked this often by default. */
const DEFAULT_CHECK_EVERY_MS = DEFAULT_CLAIM_CHECK_S * 1000;
/** Continue as new well before Temporal's own suggestion: the state, not the history, is what matters. */
const HISTORY_EVENT_LIMIT = 4_000;

export async function claimRegistryWorkflow(input: RegistryInput): Promise<void> {
  const registry = new ClaimRegistry(input);
  await registry.run();
}

/** AUTO_UPGRADE: a registry lives for ever, so it moves to each new build at its next task (its changes need patches). */
setWorkflowOptions(versionedAs('AUTO_UPGRADE'), claimRegistryWorkflow);

class ClaimRegistry {
  private readonly claims: Map<string, Claim>;

  private readonly holderApi: Activities;
  private readonly orderApi: Activities;

  constructor(private readonly input: RegistryInput) {
    this.claims = new Map((input.claims ?? []).map((claim) => [claim.item, claim]));
    const retry = STEP_RETRY;
    this.holderApi = proxyActivities<Activities>({ startToCloseTimeout: '1m', retry });
    // The order reads share the purchases' DataCosmos queue, and with it the fleet budget.
    this.orderApi = proxyActivities<Activities>({
      startToCloseTimeout: '2m',
      retry,
      taskQueue: datacosmosTaskQueue(input.taskQueue),
    });
    setHandler(claimItemsUpdate, (request) => this.grant(request), {
      validator: (request: ClaimRequest) => {
        if (!request || typeof request.holder !== 'string' || !Array.isArray(request.items)) {
          throw new Error('claimItems: holder and items are required');
        }
      },
    });
    setHandler(settleClaimsUpdate, (settlement) => this.settle(settlement));
    setHandler(releaseClaimsUpdate, ({ items, holders }) => this.release(items, holders));
    setHandler(claimsQuery, (filter) =>
      [...this.claims.values()].filter(
        (claim) =>
          (!filter?.items || filter.items.includes(claim.item)) && (!filter?.holder || claim.holder === filter.holder),
      ),
    );
  }

  async run(): Promise<void> {
    const everyMs = this.input.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS;
    for (;;) {
      // Idle until a claim needs watching; then look at held and watched claims every `everyMs`.
      if (this.unsettled().length === 0) await condition(() => this.unsettled().length > 0 || this.historyFull());
      else await condition(() => this.historyFull(), everyMs);
      if (this.historyFull()) {
        await condition(allHandlersFinished);
        await continueAsNew<typeof claimRegistryWorkflow>({ ...this.input, claims: [...this.claims.values()] });
      }
      if (this.unsettled().length > 0) await this.checkUnsettled();
    }
  }

  private grant({ holder, items, takeOverFrom }: ClaimRequest): ClaimGrant[] {
    return items.map((item): ClaimGrant => {
      const claim = this.claims.get(item);
      const free =
        !claim ||
        (claim.holder === holder && claim.state === 'HELD') ||
        (takeOverFrom !== undefined && claim.holder === takeOverFrom && claim.state !== 'OWNED');
      if (free) {
        this.claims.set(item, { item, state: 'HELD', holder, orderId: null, since: new Date().toISOString() });
        return { item, granted: true };
      }
      if (claim.state === 'OWNED') {
        return {
          item,
          granted: false,
          outcome: 'ALREADY_OWNED',
          orderId: claim.orderId as string,
          holder: claim.holder,
        };
      }
      return { item, granted: false, outcome: 'IN_FLIGHT', holder: claim.holder, orderId: claim.orderId };
    });
  }

  /** Applies to the holder's own claims only: a late settlement never touches a claim someone else holds since. */
  private settle({ holder, items, settlement }: SettleClaims): void {
    for (const item of items) {
      const claim = this.claims.get(item);
      if (claim?.holder === holder && claim.state !== 'OWNED') this.apply(claim, settlement);
    }
  }

  private apply(claim: Claim, settlement: ClaimSettlement): void {
    if (settlement.outcome === 'RELEASED') {
      this.claims.delete(claim.item);
      return;
    }
    this.claims.set(claim.item, {
      ...claim,
      state: settlement.outcome === 'OWNED' ? 'OWNED' : 'WATCHING',
      orderId: settlement.orderId,
      since: new Date().toISOString(),
    });
  }

  private release(items: string[], holders?: Record<string, string>): Claim[] {
    const released: Claim[] = [];
    for (const item of items) {
      const claim = this.claims.get(item);
      if (claim && claim.state !== 'OWNED' && (holders === undefined || holders[item] === claim.holder)) {
        this.claims.delete(item);
        released.push(claim);
      }
    }
    return released;
  }

  private unsettled(): Claim[] {
    return [...this.claims.values()].filter((claim) => claim.state !== 'OWNED');
  }

  /**
   * Held claims whose holder has ended are settled from what the holder left (its order and that order's last
   * status); watched orders are read: PAID makes the item OWNED, CANCELLED frees it, anything else keeps watching.
   */
  private async checkUnsettled(): Promise<void> {
    const held = this.unsettled().filter((claim) => claim.state === 'HELD');
    if (held.length > 0) {
      const facts = await this.holderApi.describeClaimHolders({ holders: [...new Set(held.map((c) => c.holder))] });
      const byHolder = new Map(facts.map((f: HolderFacts) => [f.holder, f]));
      for (const claim of held) {
        const fact = byHolder.get(claim.holder);
        if (fact && !fact.running && this.claims.get(claim.item) === claim) this.apply(claim, settlementOf(fact));
      }
    }
    const watched = this.unsettled().filter((claim) => claim.state === 'WATCHING' && claim.orderId !== null);
    if (watched.length > 0) {
      const statuses = await this.orderApi.readOrderStatuses({
        orderIds: [...new Set(watched.map((c) => c.orderId as string))],
      });
      for (const claim of watched) {
        const status = statuses[claim.orderId as string];
        if (this.claims.get(claim.item) !== claim) continue; // settled meanwhile
        if (status === 'PAID') this.apply(claim, { outcome: 'OWNED', orderId: claim.orderId as string });
        if (status === 'CANCELLED') this.apply(claim, { outcome: 'RELEASED' });
      }
    }
  }

  private historyFull(): boolean {
    return historyFull(this.input.historyEventLimit ?? HISTORY_EVENT_LIMIT);
  }
}

/** What an ended holder's claims become: owned with a PAID order, watched with another order, else released. */
function settlementOf(fact: HolderFacts): ClaimSettlement {
  if (fact.orderId === null || fact.orderStatus === 'CANCELLED') return { outcome: 'RELEASED' };
  return fact.orderStatus === 'PAID'
    ? { outcome: 'OWNED', orderId: fact.orderId }
    : { outcome: 'WATCH', orderId: fact.orderId };
}
