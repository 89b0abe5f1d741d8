/**
 * The spend ledger seen from outside, through the Temporal client: the purchases' reserve and settle steps (a
 * workflow cannot send another one an update), and the reads and changes `dcp limits` makes.
 */
import { Context } from '@temporalio/activity';
import {
  QueryNotRegisteredError,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  type Client,
  type SignalDefinition,
} from '@temporalio/client';
import type { ClaimScope } from '../shared/claim-types';
import {
  ledgerQuery,
  limitCountQuery,
  removeLimitUpdate,
  reserveSpendUpdate,
  setLimitUpdate,
  reserveSignal,
  settleSignal,
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
import { keptAnswers } from './kept-answers';

/**
 * How long a worker keeps its ledger's answer to "any limit?", from when it asked. Asked by every purchase, the
 * ledger's query buffer filled under load (ResourceExhausted, retried: seconds per reservation), so one answer serves
 * a worker's purchases for a while. `setSpendLimit` and `removeSpendLimit` wait this long before they return, so every
 * reservation that starts after them goes by the new limits.
 */
export const LIMIT_ANSWER_MEMORY_MS = 2_000;

const waitForWorkersToAskAgain = () => new Promise((resolve) => setTimeout(resolve, LIMIT_ANSWER_MEMORY_MS));

function ledgerInput(scope: ClaimScope, checkEveryMs?: number): LedgerInput {
  return { ...scope, ...(checkEveryMs ? { checkEveryMs } : {}) };
}

/** A signal to the ledger, starting it if need be: the sender does not wait for the ledger to take it. */
async function signalLedger<T>(
  temporal: Pick<Client, 'workflow'>,
  scope: ClaimScope,
  checkEveryMs: number | undefined,
  signal: SignalDefinition<[T]>,
  arg: T,
): Promise<void> {
  await temporal.workflow.signalWithStart(WORKFLOW_TYPE.spendLedger, {
    workflowId: spendLedgerId(scope),
    taskQueue: claimsTaskQueue(scope.taskQueue),
    args: [ledgerInput(scope, checkEveryMs)],
    signal,
    signalArgs: [arg],
  });
}

/** The ledger's start, for an update that may be the first it gets (it runs on the claims queue). */
function ledgerStart(scope: ClaimScope, checkEveryMs?: number) {
  return new WithStartWorkflowOperation<(input: LedgerInput) => Promise<void>>(WORKFLOW_TYPE.spendLedger, {
    workflowId: spendLedgerId(scope),
    taskQueue: claimsTaskQueue(scope.taskQueue),
    args: [ledgerInput(scope, checkEveryMs)],
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

/**
 * `checkEveryMs`: the settings' claim check interval, for a ledger this starts. Returns once every reservation that
 * starts from then on is checked against the limit.
 */
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
  await waitForWorkersToAskAgain();
}

/** False when no limit has that name. Returns once no reservation that starts from then on is checked against it. */
export async function removeSpendLimit(
  temporal: Pick<Client, 'workflow'>,
  scope: ClaimScope,
  name: string,
): Promise<boolean> {
  let removed: boolean;
  try {
    removed = await temporal.workflow
      .getHandle(spendLedgerId(scope))
      .executeUpdate(removeLimitUpdate, { args: [name] });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
  if (removed) await waitForWorkersToAskAgain();
  return removed;
}

/**
 * How many limits the ledger holds: none when it has not started, or when it runs an earlier build without the
 * query (then the reservation is made, as that build did).
 */
async function limitCount(temporal: Pick<Client, 'workflow'>, scope: ClaimScope): Promise<number> {
  try {
    return await temporal.workflow.getHandle(spendLedgerId(scope)).query(limitCountQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 0;
    if (err instanceof QueryNotRegisteredError) return Infinity;
    throw err;
  }
}

export function createSpendActivities(deps: { claimCheckEveryMs?: number }) {
  const answers = keptAnswers<string, boolean>(LIMIT_ANSWER_MEMORY_MS);

  /** Whether the scope's ledger holds a limit: one query at a time per ledger, its answer kept as said above. */
  const ledgerLimited = (client: Pick<Client, 'workflow'>, scope: ClaimScope): Promise<boolean> =>
    answers.get(spendLedgerId(scope), () => limitCount(client, scope).then((count) => count > 0));

  return {
    /**
     * Reserves a purchase's priced total in its target's ledger (started on first use). With a limit set, one update,
     * whose answer may refuse it. Without one, nothing can refuse it, and every purchase of every pipeline waiting its
     * turn on the one ledger made batches half as fast: the reservation is a signal, held all the same, so a limit
     * set later counts it.
     */
    async reserveSpend(request: ClaimScope & SpendRequest): Promise<ReserveAnswer> {
      const { taskQueue, organisationId, ...spend } = request;
      const scope = { taskQueue, organisationId };
      const { client } = Context.current();
      if (!spend.override && !(await ledgerLimited(client, scope))) {
        await signalLedger(client, scope, deps.claimCheckEveryMs, reserveSignal, spend);
        return { granted: true };
      }
      return client.workflow.executeUpdateWithStart(reserveSpendUpdate, {
        args: [spend],
        startWorkflowOperation: ledgerStart(scope, deps.claimCheckEveryMs),
      });
    },

    /**
     * Settles an ending purchase's reservation by a signal (idempotent per holder): the purchase does not wait for
     * the ledger. A ledger that cannot be told now finds the holder ended at its next check and settles the same way.
     */
    async settleSpend(request: ClaimScope & { settlement: SpendSettlement }): Promise<void> {
      const { taskQueue, organisationId, settlement } = request;
      const scope = { taskQueue, organisationId };
      await signalLedger(Context.current().client, scope, deps.claimCheckEveryMs, settleSignal, settlement).catch(
        () => undefined,
      );
    },
  };
}
