/** Commands that ask the DataCosmos API directly (search, orders, probe): definitions only. */
import { Command, Option } from 'commander';
import type { OrdersOptions, SearchOptions } from '../catalog';
import { bbox, datetime, decimalNumber, filePath, id, instant, integer, positiveInteger, repeatable } from '../options';

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
    .action(async (options: SearchOptions) => {
      const { search } = await import('../catalog');
      await search(options);
    });

  program
    .command('orders')
    .description("the organisation's DataCosmos orders, newest first")
    .addOption(new Option('--status <status>', 'only orders in this status').choices(['UNPAID', 'PAID', 'CANCELLED']))
    .option('--since <iso-time>', 'only orders created after this time', instant)
    .option('--limit <n>', 'at most this many', integer(1, 10_000), 50)
    .option('--json', 'print JSON', false)
    .action(async (options: OrdersOptions) => {
      const { orders } = await import('../catalog');
      await orders(options);
    });

  program
    .command('probe')
    .description(
      'ask the configured DataCosmos API, read-only (nothing is created or paid), for each endpoint a purchase ' +
        'uses; print how it answered and whether its reply reads',
    )
    .option('--order <order-id>', 'also read this order of your organisation (order details endpoint)', id)
    .option(
      '--save <dir>',
      'write every raw reply, tokens and secrets redacted, as JSON files into this directory',
      filePath,
    )
    .option('--json', 'print JSON', false)
    .action(async (options: { order?: string; save?: string; json: boolean }) => {
      const { probe } = await import('../probe');
      await probe(options);
    });
}
