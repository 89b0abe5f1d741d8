/**
 * Commands on purchases by id (status, cancel, approve, extend, paid, adopt) and across them (list, watch, claims):
 * definitions only; the work is loaded when a command runs.
 */
import { Command, Option } from 'commander';
import { CLAIM_STATES } from '../../shared/claim-types';
import { ORDER_STATUSES, PURCHASE_STAGES } from '../../shared/purchase-types';
import { decimalNumber, duration, freeText, id, integer, itemRef, repeatable } from '../options';
import { lazyAction } from './lazy-action';

/** A command on one purchase, named by its id. */
function onePurchase(program: Command, name: string): Command {
  return program.command(name).argument('<id>', 'the purchase id', id);
}

export function registerPurchaseCommands(program: Command): void {
  onePurchase(program, 'status')
    .description('where a purchase stands: stage, order, payment link, polls, last error, deadline')
    .option('--history', 'the timeline of the purchase from its workflow history (every run)', false)
    .option('--json', 'print JSON', false)
    .action(lazyAction(async () => (await import('../manage')).showStatus));

  program
    .command('cancel')
    .argument('[id]', 'the purchase id', id)
    .description('cancel a purchase (before ordering nothing is created), or with --batch a whole batch')
    .option('--batch <id>', 'cancel this batch: its batch workflow, or every running purchase tagged with it', id)
    .option('--reason <text>', 'why, recorded in the result', freeText)
    .action(lazyAction(async () => (await import('../manage')).cancel));

  onePurchase(program, 'approve')
    .description('approve (or with --deny, reject) a purchase that is over its budget')
    .option('--deny', 'reject instead of approving', false)
    .option('--note <text>', 'a note kept with the decision', freeText)
    .action(lazyAction(async () => (await import('../manage')).approve));

  onePurchase(program, 'extend')
    .description('move the payment deadline of a purchase later')
    .requiredOption('--by <duration>', 'how much later, e.g. 24h', duration)
    .action(async (purchaseId: string, options: { by: number }) => {
      const { extend } = await import('../manage');
      await extend(purchaseId, options.by);
    });

  onePurchase(program, 'paid')
    .description('tell a purchase its order was paid, so it re-checks at once instead of at the next poll')
    .action(lazyAction(async () => (await import('../manage')).paid));

  onePurchase(program, 'adopt')
    .description(
      'attach the real order to a purchase in NEEDS_ATTENTION whose order create could not be settled; ' +
        'it then carries on to checkout and payment',
    )
    .requiredOption('--order <order-id>', 'the DataCosmos order of this purchase', id)
    .action(async (purchaseId: string, options: { order: string }) => {
      const { adopt } = await import('../manage');
      await adopt(purchaseId, options.order);
    });

  program
    .command('list')
    .description('list the purchases of this DataCosmos target (API and organisation), newest first')
    .addOption(new Option('--stage <stage>', 'only purchases at this stage').choices(PURCHASE_STAGES))
    .addOption(new Option('--order-status <status>', 'only orders in this status').choices([...ORDER_STATUSES]))
    .option('--batch <id>', 'only purchases of this batch', id)
    .option('--running', 'only purchases still in flight', false)
    .option('--older-than <duration>', 'only purchases started longer ago, e.g. 24h', duration)
    .option('--newer-than <duration>', 'only purchases started more recently, e.g. 30m', duration)
    .option('--limit <n>', 'at most this many', integer(1, 10_000), 100)
    .option(
      '--all-targets',
      'purchases of every DataCosmos target on this Temporal namespace, not only this one',
      false,
    )
    .option('--json', 'print JSON', false)
    .action(lazyAction(async () => (await import('../list')).list));

  program
    .command('watch')
    .description('live table of purchases in flight on this DataCosmos target: stage, order, age, next check')
    .option('--interval <seconds>', 'refresh period', decimalNumber(0.5, 3600), 2)
    .option('--once', 'print the table once and exit', false)
    .action(lazyAction(async () => (await import('../list')).watch));

  const claims = program
    .command('claims')
    .description("the organisation's item claims: who owns each item (PAID order) or is buying it")
    .option('--item <collection/item>', 'only this item (repeat for several)', repeatable(itemRef))
    .option('--holder <purchase-id>', 'only the claims of this purchase', id)
    .addOption(new Option('--state <state>', 'only claims in this state').choices([...CLAIM_STATES]))
    .option('--json', 'print JSON', false)
    .action(lazyAction(async () => (await import('../claims')).showClaims));
  claims
    .command('release')
    .argument('<items...>', 'the items, as COLLECTION/ITEM', repeatable(itemRef))
    .description(
      'release claims left behind (a holder that ended, an order that will not be paid); ' +
        'refused for owned items and for holders still running',
    )
    .option('--reason <text>', 'why, for the record', freeText, 'released by an operator')
    .action(async (items: Parameters<typeof import('../claims').releaseItems>[0], options: { reason: string }) => {
      const { releaseItems } = await import('../claims');
      await releaseItems(items, options.reason);
    });
}
