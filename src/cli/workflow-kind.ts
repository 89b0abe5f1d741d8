/**
 * Commands name a purchase or a batch by its id, and both are workflows on one namespace: a message of one kind sent
 * to the other is buffered and never handled, so the command would report it sent while nothing happens.
 */
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { CliError, ExitCode } from '../shared/errors';
import { WORKFLOW_TYPE } from '../shared/workflow-types';

type Kind = 'purchase' | 'batch';

/** The commands for an id of each kind: where it is looked at and cancelled instead. */
const SEE: Record<Kind, (id: string) => string> = {
  purchase: (id) => `dcp status ${id}, dcp cancel ${id}`,
  batch: (id) => `dcp batch status ${id}, dcp batch cancel ${id}`,
};

/**
 * The workflow behind `id`, refused as a usage error when it is not a `kind` (an unknown id: not found), or, given
 * `taskQueue`, when it ran on another DataCosmos target: work started from it would run on this target's account.
 */
export async function describeAs(
  client: Client,
  id: string,
  kind: Kind,
  taskQueue?: string,
): Promise<WorkflowExecutionDescription> {
  const description = await client.workflow.getHandle(id).describe();
  if (description.type !== WORKFLOW_TYPE[kind]) {
    const other = (Object.keys(SEE) as Kind[]).find((k) => WORKFLOW_TYPE[k] === description.type);
    const what = other ? `a ${other}` : `a ${description.type}`;
    const see = other ? ` (its commands: ${SEE[other](id)})` : '';
    throw new CliError(`${id} is ${what}, not a ${kind}${see}`, ExitCode.USAGE);
  }
  if (taskQueue !== undefined && description.taskQueue !== taskQueue) {
    throw new CliError(
      `${kind} ${id} ran on task queue ${description.taskQueue}, another DataCosmos target than this one ` +
        `(${taskQueue}): use that target's settings`,
      ExitCode.USAGE,
    );
  }
  return description;
}
