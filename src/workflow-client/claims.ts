/** Reading and releasing claims in the claim registries, for batch planning and for `dcp claims`. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { claimsQuery, releaseClaimsUpdate } from '../shared/claim-messages';
import { byShard, CLAIM_SHARDS, registryId, type Claim, type ClaimScope } from '../shared/claim-types';

/** The claims of these items in their registries, for planning and for the CLI. */
export async function lookUpClaims(
  temporal: Pick<Client, 'workflow'>,
  scope: ClaimScope,
  items: string[],
): Promise<Claim[]> {
  const found = await Promise.all(
    [...byShard(items)].map(async ([shard, wanted]) => {
      try {
        return await temporal.workflow.getHandle(registryId(scope, shard)).query(claimsQuery, { items: wanted });
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return [];
        throw err;
      }
    }),
  );
  return found.flat();
}

/** Every claim of the organisation, from all its registries (a registry not started yet has none). */
export async function allClaims(temporal: Pick<Client, 'workflow'>, scope: ClaimScope): Promise<Claim[]> {
  const shards = Array.from({ length: CLAIM_SHARDS }, (_, shard) => shard);
  const found = await Promise.all(
    shards.map(async (shard) => {
      try {
        return await temporal.workflow.getHandle(registryId(scope, shard)).query(claimsQuery);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return [];
        throw err;
      }
    }),
  );
  return found.flat();
}

/** Releases held or watched claims of these items; returns the claims released. */
export async function releaseClaims(
  temporal: Pick<Client, 'workflow'>,
  scope: ClaimScope,
  items: string[],
  reason: string,
): Promise<Claim[]> {
  const released = await Promise.all(
    [...byShard(items)].map(([shard, wanted]) =>
      temporal.workflow
        .getHandle(registryId(scope, shard))
        .executeUpdate(releaseClaimsUpdate, { args: [{ items: wanted, reason }] }),
    ),
  );
  return released.flat();
}
