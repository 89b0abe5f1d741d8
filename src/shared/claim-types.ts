/**
 * Claims: one organisation-wide owner per catalog item. Before any order for an item is created, the purchase
 * holds the item's claim; the claim becomes OWNED when the order is PAID and is released when the purchase ends
 * without an order or its order is CANCELLED. Claims live in registry workflows, one per organisation and shard
 * of items (`claimRegistryId`), so claiming is strongly consistent: updates to one workflow run one at a time.
 * Pure types and functions, shared by the workflows, their activities and the CLI.
 */

/**
 * Shards of one organisation's claims: spreads the registry's load and keeps each one's state small. A claim is
 * about 175 bytes of state with today's ids, so 100,000 owned items make about 275 KB per shard, well under the
 * 512 KB a payload (the state carried through continue-as-new, an unfiltered claims query) may reach.
 */
export const CLAIM_SHARDS = 64;

/**
 * HELD: a running purchase holds the item and may create an order for it. WATCHING: its purchase ended with an
 * order not known to be paid or cancelled, and the order's fate decides. OWNED: a PAID order holds the item, which
 * is never bought again.
 */
export const CLAIM_STATES = ['HELD', 'WATCHING', 'OWNED'] as const;
export type ClaimState = (typeof CLAIM_STATES)[number];

export interface Claim {
  item: string;
  state: ClaimState;
  /** The purchase that holds (or held) it. */
  holder: string;
  orderId: string | null;
  since: string;
}

/** What a claim request got, per item (`COLLECTION/ITEM`). */
export type ClaimGrant =
  | { item: string; granted: true }
  | { item: string; granted: false; outcome: 'ALREADY_OWNED'; orderId: string; holder: string }
  | { item: string; granted: false; outcome: 'IN_FLIGHT'; holder: string; orderId: string | null };

/** Whose registries: the deployment's workflow task queue and the organisation. */
export interface ClaimScope {
  taskQueue: string;
  organisationId: number;
}

export interface ClaimRequest extends ClaimScope {
  holder: string;
  items: string[];
  /** `dcp redrive`: claims the old purchase still holds (or watches) pass to the new one. */
  takeOverFrom?: string;
}

/** How a purchase leaves its claims when it ends. */
export type ClaimSettlement =
  { outcome: 'OWNED'; orderId: string } | { outcome: 'WATCH'; orderId: string } | { outcome: 'RELEASED' };

export interface SettleClaims {
  holder: string;
  items: string[];
  settlement: ClaimSettlement;
}

export interface ReleaseClaims {
  items: string[];
  reason: string;
  /**
   * The holder each item's claim had when the release was decided, by item: a claim that changed hands since (its
   * holder settled, a new purchase claimed the item) is kept. Absent in releases sent before it existed.
   */
  holders?: Record<string, string>;
}

/** What the registry asks of an ended or unknown holder, and of a watched order. */
export interface HolderFacts {
  holder: string;
  running: boolean;
  /** The order the ended holder had, and its last known status. */
  orderId: string | null;
  orderStatus: string | null;
}

export interface RegistryInput extends ClaimScope {
  shard: number;
  /** Carried by continue-as-new. */
  claims?: Claim[];
  /** How often held and watched claims are checked against their holders and orders (tests make it short). */
  checkEveryMs?: number;
  /** Events after which the registry carries its claims into a new run (tests make it small). */
  historyEventLimit?: number;
}

/** The workflow id of one registry: deployments that share a namespace keep apart by their task queues. */
export function registryId(scope: ClaimScope, shard: number): string {
  return `claims/${scope.taskQueue}/${scope.organisationId}/${shard}`;
}

/** FNV-1a of the item key: a stable shard for every item, the same in workflows and clients. */
export function claimShard(item: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < item.length; i++) {
    hash ^= item.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % CLAIM_SHARDS;
}

/** The items grouped by the shard whose registry holds their claims. */
export function byShard(items: readonly string[]): Map<number, string[]> {
  const groups = new Map<number, string[]>();
  for (const item of items) {
    const shard = claimShard(item);
    groups.set(shard, [...(groups.get(shard) ?? []), item]);
  }
  return groups;
}

/** How often, by default, a registry checks held claims whose holder may have ended and watched orders. */
export const DEFAULT_CLAIM_CHECK_S = 600;
