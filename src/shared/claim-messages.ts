/** Messages of the claim registry workflow, shared by the registry, the purchases and the CLI. */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Claim, ClaimGrant, ClaimRequest, ReleaseClaims, SettleClaims } from './claim-types';

/** Claims each free item for the holder; says for the others who owns or holds them. Idempotent per holder. */
export const claimItemsUpdate = defineUpdate<ClaimGrant[], [request: ClaimRequest]>('claimItems');
/**
 * A purchase that ends leaves its claims OWNED, watched through its order, or released. A signal, sent from the
 * purchase's local activity: in the registry's history before the purchase ends, so every later claim and query sees
 * it, without the purchase waiting for the registry's workflow task.
 */
export const settleClaimsSignal = defineSignal<[settlement: SettleClaims]>('settleClaims');
/** The same settlement as an update, as purchases of earlier builds send it (a registry still answers them). */
export const settleClaimsUpdate = defineUpdate<void, [settlement: SettleClaims]>('settleClaims');
/** An operator releases claims that are held or watched (never owned ones); returns the claims released. */
export const releaseClaimsUpdate = defineUpdate<Claim[], [release: ReleaseClaims]>('releaseClaims');
/** The claims of these items (all, when none are named), or of one holder. */
export const claimsQuery = defineQuery<Claim[], [filter?: { items?: string[]; holder?: string }]>('claims');
