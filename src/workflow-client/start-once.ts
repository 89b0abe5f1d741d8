/**
 * Starting a workflow under a business id at most once: a running execution is attached to, a finished one is
 * reported, and nothing is started again. Shared by purchases and batches, whose ids are their keys.
 */
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowHandle,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

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
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
  const status = await describeIfExists(client, options.workflowId);
  return {
    handle: client.workflow.getHandle(options.workflowId),
    origin: status === 'RUNNING' ? 'running' : 'finished',
  };
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
