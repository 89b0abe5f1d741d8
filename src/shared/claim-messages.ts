/** Messages of the claim registry workflow, shared by the registry, the purchases and the CLI. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Claim, ClaimGrant, ClaimRequest, ReleaseClaims, SettleClaims } from './claim-types';

/** Claims each free item for the holder; says for the others who owns or holds them. Idempotent per holder. */
export const claimItemsUpdate = defineUpdate<ClaimGrant[], [request: ClaimRequest]>('claimItems');
/**
 * A purchase that ends leaves its claims OWNED, watched through its order, or released. An update, sent from the
 * purchase's local activity: applied in one registry workflow task, and in its history before the purchase ends.
 */
export const settleClaimsUpdate = defineUpdate<void, [settlement: SettleClaims]>('settleClaims');
/** An operator releases claims that are held or watched (never owned ones); returns the claims released. */
export const releaseClaimsUpdate = defineUpdate<Claim[], [release: ReleaseClaims]>('releaseClaims');
/** The claims of these items (all, when none are named), or of one holder. */
export const claimsQuery = defineQuery<Claim[], [filter?: { items?: string[]; holder?: string }]>('claims');
