/** Commands on one purchase by id: status (and its history), cancel (or a batch's), approve, extend, paid, adopt. */
import { WorkflowUpdateFailedError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import {
  adoptOrderUpdate,
  approveUpdate,
  cancelSignal,
  extendDeadlineUpdate,
  paymentCompletedSignal,
  statusQuery,
} from '../shared/purchase-messages';
import type { PurchaseResult, PurchaseStatus } from '../shared/purchase-types';
import type { PurchaseHandle } from '../workflow-client/purchase-client';
import { fetchPurchaseRuns, formatTimeline, purchaseTimeline } from '../workflow-client/purchase-timeline';
import { cancelBatch } from './batch-cancel';
import { withContext } from './context';
import { describeAs } from './workflow-kind';
import { endedInTemporal, formatEndedInTemporal } from './ended-in-temporal';
import { printWithNotifications } from './notification-report';
import { printJson } from './output';
import { CliError, ExitCode } from '../shared/errors';
import { formatResult, formatStatus } from './purchase-report';
import {
  formatWorkerWait,
  missingWorker,
  STATUS_QUERY_DEADLINE_MS,
  UNSEEN_WORKER_QUERY_DEADLINE_MS,
  isUnansweredQuery,
  workerWait,
  type WorkerWait,
} from './worker-wait';

async function printTimeline(client: Client, id: string, json: boolean): Promise<void> {
  const converter = client.options.loadedDataConverter.payloadConverter;
  const entries = purchaseTimeline(await fetchPurchaseRuns(client, id), converter);
  if (json) printJson({ purchaseId: id, events: entries });
  else process.stdout.write(`${formatTimeline(id, entries)}\n`);
}

async function runningPurchase(client: Client, id: string): Promise<PurchaseHandle> {
  const { status } = await describeAs(client, id, 'purchase');
  if (status.name !== 'RUNNING')
    throw new CliError(`purchase ${id} has already ended (${status.name})`, ExitCode.USAGE);
  return client.workflow.getHandle(id) as PurchaseHandle;
}

/** Updates rejected by the workflow's validator are usage errors: the purchase is not in a state that allows it. */
async function update<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw new CliError(err.cause?.message ?? err.message, ExitCode.USAGE);
    throw err;
  }
}

/** How Temporal itself ends an execution, leaving no result. */
const ENDED_BY_TEMPORAL: ReadonlySet<string> = new Set(['TERMINATED', 'TIMED_OUT', 'CANCELLED']);

export async function showStatus(id: string, options: { history: boolean; json: boolean }): Promise<void> {
  await withContext(async (ctx) => {
    const client = await ctx.temporal();
    const description = await describeAs(client, id, 'purchase');
    if (options.history) return printTimeline(client, id, options.json);
    const handle = client.workflow.getHandle(id) as PurchaseHandle;
    const print = (report: object, text: string) => printWithNotifications(client, id, options.json, report, text);
    if (description.status.name === 'RUNNING') {
      const current = await runningStatus(client, handle, description);
      if ('waitingForWorker' in current)
        return print(current, formatWorkerWait(current, ctx.settings.temporal.taskQueue));
      return print(current, formatStatus(current));
    }
    // FAILED is also how a purchase refuses bad input: its result says why (a usage error).
    if (ENDED_BY_TEMPORAL.has(description.status.name)) {
      const ended = endedInTemporal(description);
      return print(ended, formatEndedInTemporal(ended));
    }
    const result: PurchaseResult = await handle.result();
    await print(result, formatResult(result));
  });
}

/**
 * The purchase's own status, or why no worker can give it (none serves its target's queue, or none answered).
 * A queue with no pollers on record still gets a short query: the server's poller list can lag a worker that has
 * just started or that polls another partition of the queue, and a worker that answers is the better witness.
 */
async function runningStatus(
  client: Client,
  handle: PurchaseHandle,
  description: WorkflowExecutionDescription,
): Promise<PurchaseStatus | WorkerWait> {
  const missing = await missingWorker(client, description.taskQueue);
  const deadlineMs = missing === null ? STATUS_QUERY_DEADLINE_MS : UNSEEN_WORKER_QUERY_DEADLINE_MS;
  try {
    return await client.withDeadline(Date.now() + deadlineMs, () => handle.query(statusQuery));
  } catch (err) {
    if (!isUnansweredQuery(err)) throw err;
    return workerWait(description, missing ?? `no worker answered a status query within ${deadlineMs / 1000} s`);
  }
}

export async function cancel(id: string | undefined, options: { batch?: string; reason?: string }): Promise<void> {
  if ((id === undefined) === (options.batch === undefined)) {
    throw new CliError('cancel: give exactly one of a purchase ID or --batch ID', ExitCode.USAGE);
  }
  await withContext(async (ctx) => {
    if (options.batch !== undefined) {
      const client = await ctx.temporal();
      const { viaBatchWorkflow, purchases } = await cancelBatch(
        client,
        ctx.settings.temporal.taskQueue,
        options.batch,
        options.reason,
      );
      process.stdout.write(
        viaBatchWorkflow
          ? `cancel sent to batch ${options.batch}: it cancels its ${purchases} running purchases\n`
          : `cancelled ${purchases} running purchases of batch ${options.batch}\n`,
      );
      return;
    }
    const handle = await runningPurchase(await ctx.temporal(), id as string);
    await handle.signal(cancelSignal, options.reason);
    process.stdout.write(`cancel sent to ${id}\n`);
  });
}

export async function approve(id: string, options: { deny: boolean; note?: string }): Promise<void> {
  await withContext(async (ctx) => {
    const handle = await runningPurchase(await ctx.temporal(), id);
    await update(() =>
      handle.executeUpdate(approveUpdate, { args: [{ approved: !options.deny, note: options.note }] }),
    );
    process.stdout.write(`${options.deny ? 'denied' : 'approved'} ${id}\n`);
  });
}

export async function extend(id: string, byMs: number): Promise<void> {
  await withContext(async (ctx) => {
    const handle = await runningPurchase(await ctx.temporal(), id);
    const deadline = await update(() => handle.executeUpdate(extendDeadlineUpdate, { args: [{ byMs }] }));
    process.stdout.write(`${id}: ${deadline}\n`);
  });
}

export async function paid(id: string): Promise<void> {
  await withContext(async (ctx) => {
    const handle = await runningPurchase(await ctx.temporal(), id);
    await handle.signal(paymentCompletedSignal);
    process.stdout.write(`payment notice sent to ${id}\n`);
  });
}

export async function adopt(id: string, orderId: string): Promise<void> {
  await withContext(async (ctx) => {
    const handle = await runningPurchase(await ctx.temporal(), id);
    const status = await update(() => handle.executeUpdate(adoptOrderUpdate, { args: [{ orderId }] }));
    process.stdout.write(`${id}: adopted order ${orderId}; the purchase carries on (${status.stage})\n`);
  });
}
