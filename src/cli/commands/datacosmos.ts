/**
 * Commands that ask the DataCosmos API directly (search, quote, orders, probe) and the readiness check of a target
 * (doctor): definitions only.
 */
import { Command, Option } from 'commander';
import { ORDER_STATUSES } from '../../shared/purchase-types';
import {
  bbox,
  datetime,
  decimalNumber,
  filePath,
  id,
  instant,
  integer,
  itemRef,
  positiveInteger,
  repeatable,
} from '../options';
import { lazyAction } from './lazy-action';

/** The commands that check a target (doctor, probe) can also read one order: the order details endpoint. */
function orderToRead(): Option {
  return new Option(
    '--order <order-id>',
    'also read this order of your organisation (order details endpoint)',
  ).argParser(id);
}

export function registerDataCosmosCommands(program: Command): void {
  program
    .command('search')
    .description('search the catalog, with prices under your contract')
    .option('--collection <id>', 'collection to search (repeatable)', repeatable(id))
    .option('--id <item>', 'item id (repeatable)', repeatable(id))
    .option('--bbox <w,s,e,n>', 'bounding box in degrees', bbox)
    .option('--datetime <range>', 'RFC 3339 instant or interval, e.g. 2024-01-01T00:00:00Z/..', datetime)
    .option('--cloud-lt <percent>', 'only items with eo:cloud_cover below this', decimalNumber(0, 100))
    .option('--contract <id>', 'price under this contract (default: the default contract)', positiveInteger)
    .option('--no-prices', 'do not ask for prices')
    .option('--limit <n>', 'at most this many items', integer(1, 10_000), 20)
    .option('--json', 'print the items as JSON', false)
    .action(lazyAction(async () => (await import('../catalog')).search));

  program
    .command('quote')
    .description(
      'what buying these items would cost under the contract, priced as a purchase prices them; nothing is ordered',
    )
    .requiredOption('--item <collection/item[@level]>', 'an item to price (repeat for several)', repeatable(itemRef))
    .option('--contract <id>', 'contract id (default: the organisation default contract)', positiveInteger)
    .option(
      '--aoi <file>',
      'price only the part of each scene inside this area (GeoJSON), as `buy --aoi` buys it',
      filePath,
    )
    .option('--json', 'print JSON', false)
    .action(lazyAction(async () => (await import('../quote')).quote));

  program
    .command('doctor')
    .description(
      'whether a purchase on these settings would work now, spending nothing: settings, token, contract, ' +
        'Temporal and its search attributes, a worker for this target, and every API endpoint a purchase uses',
    )
    .option('--contract <id>', 'check this contract instead of the default one', positiveInteger)
    .addOption(orderToRead())
    .option('--json', 'print JSON', false)
    .action(lazyAction(async () => (await import('../doctor')).doctor));

  program
    .command('orders')
    .description("the organisation's DataCosmos orders, newest first")
    .addOption(new Option('--status <status>', 'only orders in this status').choices([...ORDER_STATUSES]))
    .option('--since <iso-time>', 'only orders created after this time', instant)
    .option('--limit <n>', 'at most this many', integer(1, 10_000), 50)
    .option('--json', 'print JSON', false)
    .action(lazyAction(async () => (await import('../catalog')).orders));

  program
    .command('probe')
    .description(
      'ask the configured DataCosmos API, read-only (nothing is created or paid), for each endpoint a purchase ' +
        'uses; print how it answered and whether its reply reads',
    )
    .option('--contract <id>', 'price under this contract (default: the default contract)', positiveInteger)
    .addOption(orderToRead())
    .option('--save <dir>', 'write every raw reply into it as a JSON file, tokens and secrets redacted', filePath)
    .option('--json', 'print JSON', false)
    .action(lazyAction(async () => (await import('../probe')).probe));
}
