/**
 * Starting a workflow under a business id at most once: a running execution is attached to, a finished one is
 * reported, and nothing is started again. Shared by purchases and batches, whose ids are their keys.
 */
import {
  ServiceError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { CliError, ExitCode } from '../shared/errors';

export interface StartedOnce<W extends Workflow> {
  handle: WorkflowHandle<W>;
  /** started: a new execution; running: attached to one in flight; finished: it ended before, nothing new runs. */
  origin: 'started' | 'running' | 'finished';
}

export async function startOnce<W extends Workflow>(
  client: Client,
  workflowType: string,
  options: WorkflowStartOptions<W> & { workflowId: string },
): Promise<StartedOnce<W>> {
  // Start first and look only on a conflict: a new purchase costs one call, not a describe and a start.
  try {
    const handle = await client.workflow.start<W>(workflowType, {
      ...options,
      workflowIdConflictPolicy: 'FAIL',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
    return { handle, origin: 'started' };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw tooLargeRefusal(err) ?? err;
  }
  const existing = await client.workflow.getHandle(options.workflowId).describe();
  // The id is taken on another DataCosmos target (its own task queue): attaching would report another target's
  // purchase as this one.
  if (existing.taskQueue !== options.taskQueue) {
    throw new CliError(
      `${options.workflowId} is already used on task queue ${existing.taskQueue}, another DataCosmos target ` +
        `than this one (${options.taskQueue}): choose another id`,
      ExitCode.USAGE,
    );
  }
  return {
    handle: client.workflow.getHandle(options.workflowId),
    origin: existing.status.name === 'RUNNING' ? 'running' : 'finished',
  };
}

/**
 * The server's refusal of an input over its payload limits, as one line that names the limit: large inputs are
 * stored in pages before a start, so this is a last line of defence, never a failure to start with exit 1.
 */
function tooLargeRefusal(err: unknown): CliError | null {
  const cause = err instanceof ServiceError ? err.cause : err;
  const message = cause instanceof Error ? cause.message : '';
  if (!/size exceeds|larger than max|message too large|exceeds limit/i.test(message)) return null;
  return new CliError(
    `the input is over Temporal's payload limits (${message.split('\n')[0]}): give fewer items, a smaller area ` +
      'or a smaller search',
    ExitCode.USAGE,
  );
}

/** The execution status name of the workflow with this id, or null when there is none. */
export async function describeIfExists(client: Client, workflowId: string): Promise<string | null> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}
