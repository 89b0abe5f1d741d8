/**
 * `dcp redrive ID`: a new attempt, under a new key, of a purchase that ended FAILED or EXPIRED, with the same
 * items, contract and budget, linked to the old one (`redriveOf`). Nothing else can be redriven: a COMPLETED
 * purchase is bought, and a CANCELLED or REJECTED one was stopped on purpose.
 */
import type { Client } from '@temporalio/client';
import { fetchPurchaseInput } from '../workflow-client/purchase-timeline';
import type { PurchaseInput, PurchaseResult } from '../shared/purchase-types';
import { purchaseInputProblems } from '../shared/purchase-validation';
import { describeIfExists } from '../workflow-client/start-once';
import { withContext, type CommandContext } from './context';
import { describeAs } from './workflow-kind';
import { CliError, ExitCode } from '../shared/errors';
import { runPurchase, type RunOptions } from './run-purchase';

const REDRIVABLE: ReadonlySet<string> = new Set(['FAILED', 'EXPIRED']);
/** How many earlier attempts `<ID>-r<N>` are looked past for a free N. */
const MAX_REDRIVES = 1000;

export interface RedriveOptions extends RunOptions {
  purchaseId?: string;
}

export async function redrive(id: string, options: RedriveOptions): Promise<number> {
  return withContext((ctx) => redriveWith(ctx, id, options));
}

async function redriveWith(ctx: CommandContext, id: string, options: RedriveOptions): Promise<number> {
  const client = await ctx.temporal();
  const ended = await redrivableResult(client, id, ctx.settings.temporal.taskQueue);
  if (ended.orderId) await checkOldOrder(ctx, ended);
  const purchaseId = options.purchaseId ?? (await nextRedriveId(client, id));
  if ((await describeIfExists(client, purchaseId)) !== null) {
    throw new CliError(
      `redrive: purchase id ${purchaseId} is already taken; give another --purchase-id`,
      ExitCode.USAGE,
    );
  }
  const input: PurchaseInput = { ...(await fetchPurchaseInput(client, id)), purchaseId, redriveOf: id };
  const problems = purchaseInputProblems(input);
  if (problems.length > 0) throw new CliError(`redrive: invalid purchase: ${problems.join('; ')}`, ExitCode.USAGE);
  if (!options.json) process.stderr.write(`redriving ${id} (${ended.end}) as ${purchaseId}\n`);
  return runPurchase(ctx, input, options);
}

/** The result of a purchase that ended FAILED or EXPIRED; anything else is refused as a usage error. */
async function redrivableResult(client: Client, id: string, taskQueue: string): Promise<PurchaseResult> {
  const handle = client.workflow.getHandle(id);
  const { status } = await describeAs(client, id, 'purchase', taskQueue);
  const refuse = (how: string) =>
    new CliError(`purchase ${id} ${how}: only a FAILED or EXPIRED purchase can be redriven`, ExitCode.USAGE);
  if (status.name === 'RUNNING') throw refuse('is still running');
  if (status.name !== 'COMPLETED') throw refuse(`was ${status.name.toLowerCase()} in Temporal`);
  const result: PurchaseResult = await handle.result();
  if (!REDRIVABLE.has(result.end)) throw refuse(`ended ${result.end}`);
  return result;
}

/**
 * The old purchase's order as DataCosmos sees it now. Paid since (a payment link outlives its purchase): nothing to
 * redrive. Still UNPAID: its link may still be paid, so the operator is told that this redrive buys a new order.
 */
async function checkOldOrder(ctx: CommandContext, ended: PurchaseResult): Promise<void> {
  const orderId = ended.orderId as string;
  const order = await ctx.datacosmos().getOrder(orderId);
  if (order.status === 'PAID') {
    throw new CliError(
      `purchase ${ended.purchaseId} ended ${ended.end} but its order ${orderId} has been PAID since: nothing to redrive`,
      ExitCode.USAGE,
    );
  }
  if (order.status === 'UNPAID') {
    process.stderr.write(
      `note: order ${orderId} of ${ended.purchaseId} is still UNPAID and its payment link may still be paid; ` +
        'this redrive creates a new order (paying both buys the images twice)\n',
    );
  }
}

/** `<ID>-r<N>` with the next free N; a redrive of a redrive counts on from the same base id. */
async function nextRedriveId(client: Client, id: string): Promise<string> {
  const base = id.replace(/-r\d+$/, '');
  for (let n = 1; n <= MAX_REDRIVES; n++) {
    const candidate = `${base}-r${n}`;
    if ((await describeIfExists(client, candidate)) === null) return candidate;
  }
  throw new CliError(`redrive: ${base} has been redriven ${MAX_REDRIVES} times; give --purchase-id`, ExitCode.USAGE);
}
