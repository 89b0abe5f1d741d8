/**
 * The claim registries seen from outside, through the Temporal client: the claim activities (a registry is a
 * workflow, and a workflow cannot send another one an update), the facts a registry checks its claims against, and
 * the look-ups and releases that batch planning and `dcp claims` make.
 */
import { Context } from '@temporalio/activity';
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { DataCosmosClient } from '../datacosmos';
import { claimItemsUpdate, claimsQuery, releaseClaimsUpdate, settleClaimsUpdate } from '../shared/claim-messages';
import { WORKFLOW_TYPE } from '../shared/workflow-types';
import {
  byShard,
  CLAIM_SHARDS,
  registryId,
  type Claim,
  type ClaimGrant,
  type ClaimRequest,
  type ClaimScope,
  type HolderFacts,
  type RegistryInput,
  type SettleClaims,
} from '../shared/claim-types';
import { DataCosmosOrderIdKey, OrderStatusKey } from '../shared/search-attributes';
import { claimsTaskQueue } from '../shared/task-queues';
import { apiStep, cancellation, isFinalApiFailure } from './failures';

/** The claims of these items in their registries, for batch planning (the ownership activity) and `dcp claims`. */
export async function lookUpClaims(
  temporal: Pick<Client, 'workflow'>,
  scope: ClaimScope,
  items: string[],
): Promise<Claim[]> {
  const found = await Promise.all(
    [...byShard(items)].map(([shard, wanted]) => registryClaims(temporal, scope, shard, { items: wanted })),
  );
  return found.flat();
}

/** Every claim of the organisation, from all its registries (a registry not started yet has none). */
export async function allClaims(temporal: Pick<Client, 'workflow'>, scope: ClaimScope): Promise<Claim[]> {
  const shards = Array.from({ length: CLAIM_SHARDS }, (_, shard) => shard);
  return (await Promise.all(shards.map((shard) => registryClaims(temporal, scope, shard)))).flat();
}

async function registryClaims(
  temporal: Pick<Client, 'workflow'>,
  scope: ClaimScope,
  shard: number,
  filter?: { items: string[] },
): Promise<Claim[]> {
  try {
    return await temporal.workflow.getHandle(registryId(scope, shard)).query(claimsQuery, filter);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return [];
    throw err;
  }
}

/** Releases held or watched claims of these items; returns the claims released. */
/** Releases these claims, each only while its holder is still the one given (a claim that changed hands is kept). */
export async function releaseClaims(
  temporal: Pick<Client, 'workflow'>,
  scope: ClaimScope,
  claims: Array<Pick<Claim, 'item' | 'holder'>>,
  reason: string,
): Promise<Claim[]> {
  const holders = Object.fromEntries(claims.map((c) => [c.item, c.holder]));
  const released = await Promise.all(
    [...byShard(claims.map((c) => c.item))].map(([shard, wanted]) =>
      temporal.workflow
        .getHandle(registryId(scope, shard))
        .executeUpdate(releaseClaimsUpdate, { args: [{ items: wanted, reason, holders }] }),
    ),
  );
  return released.flat();
}

export interface ClaimActivityDependencies {
  client: DataCosmosClient;
  /** How often registries check held and watched claims (tests make it short). */
  claimCheckEveryMs?: number;
}

export function createClaimActivities(deps: ClaimActivityDependencies) {
  const { client } = deps;
  return {
    /**
     * Claims the items in their registries (started on first use, on the claims queue of this workflow queue), all registries at once.
     * Idempotent: the same holder asking again gets its own claims again.
     */
    async claimItems(request: ClaimRequest): Promise<ClaimGrant[]> {
      const temporal = Context.current().client;
      const grants = await Promise.all(
        [...byShard(request.items)].map(([shard, items]) => {
          const input: RegistryInput = {
            taskQueue: request.taskQueue,
            organisationId: request.organisationId,
            shard,
            ...(deps.claimCheckEveryMs ? { checkEveryMs: deps.claimCheckEveryMs } : {}),
          };
          return temporal.workflow.executeUpdateWithStart(claimItemsUpdate, {
            args: [{ ...request, items }],
            startWorkflowOperation: new WithStartWorkflowOperation(WORKFLOW_TYPE.claimRegistry, {
              workflowId: registryId(request, shard),
              taskQueue: claimsTaskQueue(request.taskQueue),
              args: [input],
              workflowIdConflictPolicy: 'USE_EXISTING',
            }),
          });
        }),
      );
      const byItem = new Map(grants.flat().map((grant) => [grant.item, grant]));
      return request.items.map((item) => byItem.get(item) as ClaimGrant);
    },

    /**
     * Settles an ending holder's claims in their registries, each by one update. A registry that cannot be told
     * (not running, or unreachable now) finds the holder ended at its next check and settles the same way.
     */
    async settleClaims(request: ClaimScope & SettleClaims): Promise<void> {
      const temporal = Context.current().client;
      await Promise.all(
        [...byShard(request.items)].map(([shard, items]) =>
          temporal.workflow
            .getHandle(registryId(request, shard))
            .executeUpdate(settleClaimsUpdate, {
              args: [{ holder: request.holder, items, settlement: request.settlement }],
            })
            .catch(() => undefined),
        ),
      );
    },

    /** Whether each holder still runs, and the order it left (its last search attributes) when it does not. */
    async describeClaimHolders(input: { holders: string[] }): Promise<HolderFacts[]> {
      const temporal = Context.current().client;
      return Promise.all(
        input.holders.map(async (holder): Promise<HolderFacts> => {
          try {
            const described = await temporal.workflow.getHandle(holder).describe();
            const attributes = described.typedSearchAttributes;
            return {
              holder,
              running: described.status.name === 'RUNNING',
              orderId: attributes.get(DataCosmosOrderIdKey) ?? null,
              orderStatus: attributes.get(OrderStatusKey) ?? null,
            };
          } catch (err) {
            // A holder no longer known (past the namespace's retention) left nothing to find.
            if (err instanceof WorkflowNotFoundError)
              return { holder, running: false, orderId: null, orderStatus: null };
            throw err;
          }
        }),
      );
    },

    /** The status of each order, by id; an order that cannot be read is left out (its claim stays as it is). */
    async readOrderStatuses(input: { orderIds: string[] }): Promise<Record<string, string>> {
      const statuses: Record<string, string> = {};
      for (const orderId of input.orderIds) {
        try {
          statuses[orderId] = (await apiStep(() => client.getOrder(orderId, cancellation()))).status;
        } catch (err) {
          if (cancellation().aborted) throw err;
          // One order that cannot be read now must not hold up the others, nor the registry or ledger waiting on
          // this answer (a failing attempt retried for ever would keep it from continuing as new).
          if (!isFinalApiFailure(err)) {
            Context.current().log.warn('an order could not be read; left for the next check', {
              orderId,
              error: err instanceof Error ? err.message : String(err),
            });
          }
        }
      }
      return statuses;
    },
  };
}
