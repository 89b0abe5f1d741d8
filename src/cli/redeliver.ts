/**
 * `dcp redeliver ID`: delivers the items of a purchase that ended COMPLETED (or ALREADY_OWNED) again, to the
 * destination it asked for or to the one given, and waits. What is there and verified already is skipped, so after
 * a delivery that failed (a bucket that refused writes, a directory that was full) it delivers just the rest.
 */
import type { Client } from '@temporalio/client';
import { deliveryLines } from '../shared/delivery-lines';
import { CliError, ExitCode } from '../shared/errors';
import type { PurchaseResult } from '../shared/purchase-types';
import { fetchPurchaseInput } from '../workflow-client/purchase-timeline';
import { runRedelivery } from '../workflow-client/redelivery-client';
import { withContext } from './context';
import { describeAs } from './workflow-kind';
import { deliverOptions } from './deliver-option';
import { formatTable, printJson } from './output';

export interface RedeliverOptions {
  deliver?: string;
  deliverEndpoint?: string;
  json: boolean;
}

export async function redeliver(id: string, options: RedeliverOptions): Promise<number> {
  const given = deliverOptions(options);
  return withContext(async (ctx) => {
    const client = await ctx.temporal();
    const result = await deliverableResult(client, id, ctx.settings.temporal.taskQueue);
    const deliver = given ?? (await fetchPurchaseInput(client, id)).deliver;
    if (!deliver) throw new CliError(`purchase ${id} asked for no delivery: give --deliver`, ExitCode.USAGE);
    const items = deliveryLines(result, result.end === 'COMPLETED');
    if (items.length === 0) throw new CliError(`purchase ${id} has no items to deliver`, ExitCode.USAGE);
    if (!options.json) process.stderr.write(`redelivering ${items.length} item(s) of ${id}\n`);
    const delivery = await runRedelivery(client, ctx.settings.temporal.taskQueue, { purchaseId: id, deliver, items });
    if (options.json) printJson(delivery);
    else {
      const rows = delivery.map((d) => [`${d.collection}/${d.item}`, d.state, d.reason ?? d.files.join(' ')]);
      process.stdout.write(`${formatTable(['item', 'delivery', 'files or reason'], rows)}\n`);
    }
    const failed = delivery.filter((d) => d.state === 'FAILED');
    if (failed.length > 0) {
      throw new CliError(
        `redelivery of ${id}: ${failed.length} item(s) were not delivered: ${failed[0].reason}`,
        ExitCode.ITEMS_FAILED,
      );
    }
    return ExitCode.OK;
  });
}

/** The result of a purchase that ended COMPLETED or ALREADY_OWNED; anything else is refused as a usage error. */
async function deliverableResult(client: Client, id: string, taskQueue: string): Promise<PurchaseResult> {
  const handle = client.workflow.getHandle(id);
  const { status } = await describeAs(client, id, 'purchase', taskQueue);
  const refuse = (how: string) =>
    new CliError(
      `purchase ${id} ${how}: only a COMPLETED or ALREADY_OWNED purchase can be redelivered`,
      ExitCode.USAGE,
    );
  if (status.name === 'RUNNING') throw refuse('is still running');
  if (status.name !== 'COMPLETED') throw refuse(`was ${status.name.toLowerCase()} in Temporal`);
  const result: PurchaseResult = await handle.result();
  if (result.end !== 'COMPLETED' && result.end !== 'ALREADY_OWNED') throw refuse(`ended ${result.end}`);
  return result;
}
