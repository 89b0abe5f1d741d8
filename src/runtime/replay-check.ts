/**
 * The replay check a worker can run before it polls: a sample of the running executions on its own queues (the
 * ones this code will continue; a closed execution is never run again, so an old build's closed history does not
 * hold a new build back), each replayed against the workflow bundle this worker would run. A history the code
 * cannot replay means the deploy would break running workflows with non-determinism errors, so the worker refuses
 * to start instead (exit 10), naming the execution.
 */
import { Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { CliError, ExitCode } from '../shared/errors';
import { oneLine } from '../shared/one-line';
import { claimsTaskQueue } from '../shared/task-queues';
import { CLAIMS_QUEUE_WORKFLOW_TYPES, QUEUE_WORKFLOW_TYPES } from '../shared/workflow-types';

export interface ReplayCheckResult {
  /** Executions replayed, by workflow type. */
  replayed: Record<string, number>;
}

/** The executions to replay: per workflow type, up to `perType` running ones, the most recently started first. */
async function sample(client: Client, taskQueue: string, perType: number): Promise<WorkflowExecutionInfo[]> {
  const kinds = [
    ...QUEUE_WORKFLOW_TYPES.map((type) => ({ type, queue: taskQueue })),
    ...CLAIMS_QUEUE_WORKFLOW_TYPES.map((type) => ({ type, queue: claimsTaskQueue(taskQueue) })),
  ];
  const chosen: WorkflowExecutionInfo[] = [];
  for (const { type, queue } of kinds) {
    const query = `WorkflowType = '${type}' AND TaskQueue = '${queue}' AND ExecutionStatus = 'Running'`;
    let left = perType;
    for await (const execution of client.workflow.list({ query, pageSize: perType })) {
      chosen.push(execution);
      if (--left === 0) break;
    }
  }
  return chosen;
}

export async function checkReplay(options: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  perType: number;
  workflowBundle: { codePath: string };
}): Promise<ReplayCheckResult> {
  const client = new Client({ connection: options.connection, namespace: options.namespace });
  const executions = await sample(client, options.taskQueue, options.perType);
  const histories = (async function* () {
    for (const execution of executions) {
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      yield { workflowId: execution.workflowId, history };
    }
  })();
  const replayed: Record<string, number> = {};
  let index = 0;
  const results = Worker.runReplayHistories(
    { workflowBundle: options.workflowBundle, replayName: 'replay-check' },
    histories,
  );
  // One history at a time, in the order given: the n-th result is the n-th execution's.
  for await (const result of results) {
    const { type, workflowId, runId } = executions[index++];
    if (result.error) {
      throw new CliError(
        `replay check: this worker's code cannot replay ${type} ${workflowId} (run ${runId}): ` +
          `${oneLine(result.error.message)}; deploy the change behind a patch or a new worker build ` +
          '(docs/operations.md, "Deploying a workflow change safely"), or set WORKER_REPLAY_CHECK=0 to start anyway',
        ExitCode.REPLAY_REFUSED,
      );
    }
    replayed[type] = (replayed[type] ?? 0) + 1;
  }
  return { replayed };
}
