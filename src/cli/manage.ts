/** Commands on one purchase by id: status, cancel, approve, extend, paid. */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { Command } from 'commander';
import {
  approveUpdate,
  cancelSignal,
  extendDeadlineUpdate,
  paymentCompletedSignal,
  statusQuery,
} from '../shared/purchase-messages';
import type { PurchaseResult, PurchaseStatus } from '../shared/purchase-types';
import type { PurchaseHandle } from '../purchase-client';
import { parser, printJson, withContext } from './context';
import { parseDuration } from './duration';
import { CliError, ExitCode } from './exit-codes';
import { formatResult, formatStatus } from './purchase-report';

async function purchaseHandle(client: Client, id: string): Promise<PurchaseHandle> {
  const handle = client.workflow.getHandle(id) as PurchaseHandle;
  await handle.describe(); // fails clearly (WorkflowNotFoundError) for an unknown id
  return handle;
}

async function runningPurchase(client: Client, id: string): Promise<PurchaseHandle> {
  const handle = client.workflow.getHandle(id) as PurchaseHandle;
  const { status } = await handle.describe();
  if (status.name !== 'RUNNING') throw new CliError(`purchase ${id} has already ended (${status.name})`, ExitCode.USAGE);
  return handle;
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

export function registerManageCommands(program: Command): void {
  program
    .command('status <id>')
    .description('where a purchase stands: stage, order, payment link, polls, last error, deadline')
    .option('--json', 'print JSON', false)
    .action(async (id: string, options: { json: boolean }) => {
      await withContext(async (ctx) => {
        const handle = await purchaseHandle(await ctx.temporal(), id);
        const { status } = await handle.describe();
        if (status.name === 'RUNNING') {
          const current: PurchaseStatus = await handle.query(statusQuery);
          if (options.json) printJson(current);
          else process.stdout.write(`${formatStatus(current)}\n`);
          return;
        }
        const result: PurchaseResult = await handle.result();
        if (options.json) printJson(result);
        else process.stdout.write(`${formatResult(result)}\n`);
      });
    });

  program
    .command('cancel <id>')
    .description('cancel a purchase (before ordering nothing is created)')
    .option('--reason <text>', 'why, recorded in the result')
    .action(async (id: string, options: { reason?: string }) => {
      await withContext(async (ctx) => {
        const handle = await runningPurchase(await ctx.temporal(), id);
        await handle.signal(cancelSignal, options.reason);
        process.stdout.write(`cancel sent to ${id}\n`);
      });
    });

  program
    .command('approve <id>')
    .description('approve (or with --deny, reject) a purchase that is over its budget')
    .option('--deny', 'reject instead of approving', false)
    .option('--note <text>', 'a note kept with the decision')
    .action(async (id: string, options: { deny: boolean; note?: string }) => {
      await withContext(async (ctx) => {
        const handle = await runningPurchase(await ctx.temporal(), id);
        await update(() => handle.executeUpdate(approveUpdate, { args: [{ approved: !options.deny, note: options.note }] }));
        process.stdout.write(`${options.deny ? 'denied' : 'approved'} ${id}\n`);
      });
    });

  program
    .command('extend <id>')
    .description('move the payment deadline of a purchase later')
    .requiredOption('--by <duration>', 'how much later, e.g. 24h', parser((t) => parseDuration(t, '--by')))
    .action(async (id: string, options: { by: number }) => {
      await withContext(async (ctx) => {
        const handle = await runningPurchase(await ctx.temporal(), id);
        const deadline = await update(() => handle.executeUpdate(extendDeadlineUpdate, { args: [{ byMs: options.by }] }));
        process.stdout.write(`${id}: ${deadline}\n`);
      });
    });

  program
    .command('paid <id>')
    .description('tell a purchase its order was paid, so it re-checks at once instead of at the next poll')
    .action(async (id: string) => {
      await withContext(async (ctx) => {
        const handle = await runningPurchase(await ctx.temporal(), id);
        await handle.signal(paymentCompletedSignal);
        process.stdout.write(`payment notice sent to ${id}\n`);
      });
    });
}
