/**
 * A workflow type's Worker Versioning behaviour, declared only on a versioned worker (WORKER_VERSIONING=on): the
 * server refuses a behaviour from a worker without a deployment version, and an unversioned worker runs the task
 * with none (it reports a build of its own, but no deployment). The options getter runs as an execution starts on
 * a worker, which knows its deployment version then.
 */
import { workflowInfo, type setWorkflowOptions } from '@temporalio/workflow';

type DefinitionOptions = Parameters<typeof setWorkflowOptions>[0];

export function versionedAs(behavior: 'PINNED' | 'AUTO_UPGRADE'): DefinitionOptions {
  return () => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: behavior } : {});
}
