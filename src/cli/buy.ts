/** `dcp buy`: start (or attach to) one purchase, and by default follow it to its end. */
import path from 'node:path';
import { Command, Option } from 'commander';
import { isDecimal } from '../shared/money';
import type { Budget, LineItemInput, PurchaseInput } from '../shared/purchase-types';
import { purchaseInputProblems } from '../shared/purchase-validation';
import { parser, withContext } from './context';
import { parseDuration } from '../shared/duration';
import { CliError, ExitCode } from '../shared/errors';
import { parseItemArgument } from './items';
import { derivePurchaseId } from './purchase-key';
import { runPurchase } from './run-purchase';

interface BuyOptions {
  item: LineItemInput[];
  contract?: number;
  maxTotal?: string;
  currency?: string;
  approval: 'wait' | 'reject';
  approvalTimeout?: number;
  paymentWindow?: number;
  purchaseId?: string;
  batch?: string;
  deliver?: string;
  whenClaimed: 'drop' | 'wait';
  wait: boolean;
  json: boolean;
}

const collect = (value: LineItemInput, previous: LineItemInput[] = []) => [...previous, value];

export function registerBuyCommand(program: Command): void {
  program
    .command('buy')
    .description('buy catalog items: price, order, check out (credits first), wait for payment')
    .requiredOption(
      '--item <collection/item[@level]>',
      'an item to buy (repeat for several)',
      (text, prev: LineItemInput[]) => collect(parser(parseItemArgument)(text), prev),
    )
    .option('--contract <id>', 'contract id (default: the organisation default contract)', parser(positiveInteger))
    .option('--max-total <amount>', 'budget: the most the purchase may cost, in the contract currency', parser(amount))
    .option('--currency <code>', 'currency of --max-total (checked against the contract)')
    .addOption(
      new Option('--approval <mode>', 'over budget: wait for `dcp approve` or reject')
        .choices(['wait', 'reject'])
        .default('reject'),
    )
    .option(
      '--approval-timeout <duration>',
      'how long to wait for approval (default 24h)',
      parser((t) => parseDuration(t, '--approval-timeout')),
    )
    .option(
      '--payment-window <duration>',
      'how long an unpaid order is waited for (default 72h)',
      parser((t) => parseDuration(t, '--payment-window')),
    )
    .option('--purchase-id <key>', 'purchase key (default: derived from organisation, contract and items)')
    .option('--batch <id>', 'batch id to tag the purchase with')
    .option('--deliver <dir>', 'after payment, download every asset into this directory (on the worker machine)')
    .addOption(
      new Option('--when-claimed <mode>', 'items another purchase is buying: drop them (reported IN_FLIGHT) or wait')
        .choices(['drop', 'wait'])
        .default('drop'),
    )
    .option('--wait', 'follow the purchase to its end (default)', true)
    .option('--no-wait', 'start and return at once')
    .option('--json', 'print the result as JSON', false)
    .action(async (options: BuyOptions) => {
      const code = await buy(options);
      process.exitCode = code;
    });
}

export function positiveInteger(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new RangeError(`"${text}" is not a positive whole number`);
  return Number(text);
}

export function amount(text: string): string {
  if (!isDecimal(text) || text.startsWith('-') || /^0+(\.0+)?$/.test(text)) {
    throw new RangeError(`"${text}" is not a positive decimal amount`);
  }
  return text;
}

async function buy(options: BuyOptions): Promise<number> {
  return withContext(async (ctx) => {
    const organisationId = ctx.settings.datacosmos.organisationId;
    const budget: Budget | undefined = options.maxTotal
      ? {
          maxTotal: options.maxTotal,
          currency: options.currency?.toUpperCase(),
          approval: options.approval,
          approvalTimeoutMs: options.approvalTimeout,
        }
      : undefined;
    if (!budget && options.currency) throw new CliError('--currency goes with --max-total', ExitCode.USAGE);
    const input: PurchaseInput = {
      purchaseId: options.purchaseId ?? derivePurchaseId(organisationId, options.contract, options.item),
      items: options.item,
      contractId: options.contract,
      budget,
      paymentWindowMs: options.paymentWindow,
      batchId: options.batch,
      ...(options.deliver ? { deliver: { dir: path.resolve(options.deliver) } } : {}),
      ...(options.whenClaimed === 'wait' ? { whenClaimed: 'wait' as const } : {}),
    };
    const problems = purchaseInputProblems(input);
    if (problems.length > 0) throw new CliError(`invalid purchase: ${problems.join('; ')}`, ExitCode.USAGE);

    return runPurchase(ctx, input, options);
  });
}
