/** Starting (or attaching to) a purchase from the command line, then following it to its end: `buy` and `redrive`. */
import { followPurchase, startPurchase, type StartedPurchase } from '../workflow-client/purchase-client';
import type { PurchaseInput } from '../shared/purchase-types';
import type { CommandContext } from './context';
import { note, printJson } from './output';
import { CliError, ExitCode } from '../shared/errors';
import { END_EXIT_CODE, formatResult, stageLine } from './purchase-report';
import { noteIfNoWorker } from './worker-wait';
import { followingStarted } from './following';

export interface RunOptions {
  wait: boolean;
  json: boolean;
}

/** Returns the exit code: the purchase's end (or 0 when started without waiting). */
export async function runPurchase(ctx: CommandContext, input: PurchaseInput, options: RunOptions): Promise<number> {
  const client = await ctx.temporal();
  const { handle, origin } = await startPurchase(client, ctx.scope, input);
  const started =
    origin === 'running'
      ? `attached to purchase ${input.purchaseId}, already in flight`
      : origin === 'finished'
        ? `purchase ${input.purchaseId} already ran; reporting its result (use --purchase-id for a new purchase)`
        : `started purchase ${input.purchaseId}`;
  if (!options.json) process.stderr.write(`${started}\n`);
  if (origin === 'finished') return follow(ctx, { handle, origin }, options);
  const id = input.purchaseId;
  return followingStarted(`purchase ${id}`, `dcp status ${id}`, () => follow(ctx, { handle, origin }, options));
}

/** Follows the purchase to its end: the exit code of its end, or 0 when not waiting. */
async function follow(ctx: CommandContext, { handle, origin }: StartedPurchase, options: RunOptions): Promise<number> {
  const client = await ctx.temporal();
  const purchaseId = handle.workflowId;
  if (origin !== 'finished') await noteIfNoWorker(client, ctx.settings.temporal.taskQueue, 'the purchase');
  if (!options.wait && origin !== 'finished') {
    if (options.json) printJson({ purchaseId, origin });
    else process.stdout.write(`${purchaseId}\n`);
    return ExitCode.OK;
  }
  const live = !options.json && process.stderr.isTTY;
  const result = await followPurchase(handle, (status) => {
    if (options.json) return;
    process.stderr.write(live ? `\r\x1b[2K${stageLine(status)}` : `${stageLine(status)}\n`);
  });
  if (live) process.stderr.write('\n');
  if (options.json) printJson({ ...result, origin });
  else process.stdout.write(`${formatResult(result)}\n`);
  const undelivered = (result.delivery ?? []).filter((d) => d.state === 'FAILED');
  for (const d of undelivered) note(`delivery of ${d.collection}/${d.item} failed: ${d.reason}`);
  const code = END_EXIT_CODE[result.end];
  // The result is on stdout; a failure also ends with the one line that says why.
  if (code !== ExitCode.OK) {
    throw new CliError(
      `purchase ${result.purchaseId} ended ${result.end}: ${result.reason ?? 'no reason given'}`,
      code,
    );
  }
  if (undelivered.length > 0) {
    throw new CliError(
      `purchase ${result.purchaseId} ended ${result.end}, but ${undelivered.length} item(s) were not delivered`,
      ExitCode.ITEMS_FAILED,
    );
  }
  return ExitCode.OK;
}
