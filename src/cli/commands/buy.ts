/** `dcp buy`, `dcp redrive` and `dcp redeliver`: definitions only; the work is loaded when the command runs. */
import { Command, Option } from 'commander';
import { DELIVER_ENDPOINT_HELP } from '../deliver-option';
import { addDeliveryOptions, addFollowOptions } from '../command-options';
import {
  amount,
  currency,
  deliverTarget,
  duration,
  filePath,
  id,
  itemRef,
  notifyUrl,
  positiveInteger,
  repeatable,
  s3Endpoint,
} from '../options';
import { lazyAction } from './lazy-action';

export function registerBuyCommands(program: Command): void {
  const buy = program
    .command('buy')
    .description('buy catalog items: price, order, check out (credits first), wait for payment')
    .requiredOption('--item <collection/item[@level]>', 'an item to buy (repeat for several)', repeatable(itemRef))
    .option('--contract <id>', 'contract id (default: the organisation default contract)', positiveInteger)
    .option('--max-total <amount>', 'budget: the most the purchase may cost, in the contract currency', amount)
    .option('--currency <code>', 'currency of --max-total (checked against the contract)', currency)
    .addOption(
      new Option('--approval <mode>', 'over budget: wait for `dcp approve` or reject')
        .choices(['wait', 'reject'])
        .default('reject'),
    )
    .option('--approval-timeout <duration>', 'how long to wait for approval (default 24h)', duration)
    .option('--payment-window <duration>', 'how long an unpaid order is waited for (default 72h)', duration)
    .option('--purchase-id <key>', 'purchase key (default: derived from organisation, contract and items)', id)
    .option('--batch <id>', 'batch id to tag the purchase with', id);
  addDeliveryOptions(buy)
    .option(
      '--aoi <file>',
      'buy only the part of each scene inside this area (GeoJSON), cut as a coverage batch cuts its scenes',
      filePath,
    )
    .option('--project-id <id>', 'with --aoi: the project of the cut line items (default: the purchase id)', id)
    .addOption(
      new Option('--when-claimed <mode>', 'items another purchase is buying: drop them (reported IN_FLIGHT) or wait')
        .choices(['drop', 'wait'])
        .default('drop'),
    )
    .option(
      '--notify <url>',
      'post each event of the purchase, signed, to this URL (repeat for several; see docs/batches.md)',
      repeatable(notifyUrl),
    );
  addFollowOptions(buy, 'purchase').action(lazyAction(async () => (await import('../buy')).buy));

  const redrive = program
    .command('redrive')
    .argument('<id>', 'the FAILED or EXPIRED purchase', id)
    .description('start a new attempt of a FAILED or EXPIRED purchase under a new key, linked to the old one')
    .option('--purchase-id <key>', 'key of the new attempt (default: <ID>-r<N>, the next free N)', id);
  addFollowOptions(redrive, 'new purchase').action(lazyAction(async () => (await import('../redrive')).redrive));

  program
    .command('redeliver')
    .argument('<id>', 'the COMPLETED (or ALREADY_OWNED) purchase', id)
    .description('deliver the items of a purchase that has ended again, to its destination or the one given')
    .option(
      '--deliver <dir|s3-url>',
      'deliver here instead of where the purchase asked (a directory or s3://BUCKET/PREFIX)',
      deliverTarget,
    )
    .option('--deliver-endpoint <url>', DELIVER_ENDPOINT_HELP, s3Endpoint)
    .option('--json', "print each item's delivery as JSON", false)
    .action(lazyAction(async () => (await import('../redeliver')).redeliver));
}
