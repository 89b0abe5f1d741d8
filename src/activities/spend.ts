/**
 * The spend ledger seen from outside, through the Temporal client: the purchases' reserve and settle steps (a
 * workflow cannot send another one an update), and the reads and changes `dcp limits` makes.
 */
import { Context } from '@temporalio/activity';
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { ClaimScope } from '../shared/claim-types';
import {
  ledgerQuery,
  removeLimitUpdate,
  reserveSpendUpdate,
  setLimitUpdate,
  settleSpendUpdate,
} from '../shared/spend-limit-messages';
import {
  spendLedgerId,
  type LedgerInput,
  type LedgerState,
  type ReserveAnswer,
  type SpendLimit,
  type SpendRequest,
  type SpendSettlement,
} from '../shared/spend-limit-types';
import { emptyLedger } from '../shared/spend-limits';
import { claimsTaskQueue } from '../shared/task-queues';
import { WORKFLOW_TYPE } from '../shared/workflow-types';

/** The ledger's start, for an update that may be the first it gets (it runs on the claims queue). */
function ledgerStart(scope: ClaimScope, checkEveryMs?: number) {
  const input: LedgerInput = { ...scope, ...(checkEveryMs ? { checkEveryMs } : {}) };
  return new WithStartWorkflowOperation<(input: LedgerInput) => Promise<void>>(WORKFLOW_TYPE.spendLedger, {
    workflowId: spendLedgerId(scope),
    taskQueue: claimsTaskQueue(scope.taskQueue),
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
}

export async function ledgerState(temporal: Pick<Client, 'workflow'>, scope: ClaimScope): Promise<LedgerState> {
  try {
    return await temporal.workflow.getHandle(spendLedgerId(scope)).query(ledgerQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return emptyLedger();
    throw err;
  }
}

/** `checkEveryMs`: the settings' claim check interval, for a ledger this starts. */
export async function setSpendLimit(
  temporal: Pick<Client, 'workflow'>,
  scope: ClaimScope,
  limit: SpendLimit,
  checkEveryMs: number,
) {
  await temporal.workflow.executeUpdateWithStart(setLimitUpdate, {
    args: [limit],
    startWorkflowOperation: ledgerStart(scope, checkEveryMs),
  });
}

/** False when no limit has that name. */
export async function removeSpendLimit(
  temporal: Pick<Client, 'workflow'>,
  scope: ClaimScope,
  name: string,
): Promise<boolean> {
  try {
    return await temporal.workflow.getHandle(spendLedgerId(scope)).executeUpdate(removeLimitUpdate, { args: [name] });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

export function createSpendActivities(deps: { claimCheckEveryMs?: number }) {
  return {
    /** Reserves a purchase's priced total in its target's ledger (started on first use): one update. */
    async reserveSpend(request: ClaimScope & SpendRequest): Promise<ReserveAnswer> {
      const { taskQueue, organisationId, ...spend } = request;
      const scope = { taskQueue, organisationId };
      return Context.current().client.workflow.executeUpdateWithStart(reserveSpendUpdate, {
        args: [spend],
        startWorkflowOperation: ledgerStart(scope, deps.claimCheckEveryMs),
      });
    },

    /**
     * Settles an ending purchase's reservation by one update. A ledger that cannot be told now finds the holder
     * ended at its next check and settles the same way.
     */
    async settleSpend(request: ClaimScope & { settlement: SpendSettlement }): Promise<void> {
      await Context.current()
        .client.workflow.getHandle(spendLedgerId(request))
        .executeUpdate(settleSpendUpdate, { args: [request.settlement] })
        .catch(() => undefined);
    },
  };
}
