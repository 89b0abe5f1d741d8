/** `dcp buy`: start (or attach to) one purchase, and by default follow it to its end. */
import path from 'node:path';
import type { Budget, LineItemInput, PurchaseInput } from '../shared/purchase-types';
import { purchaseInputProblems } from '../shared/purchase-validation';
import { withContext } from './context';
import { CliError, ExitCode } from '../shared/errors';
import { derivePurchaseId } from './purchase-key';
import { runPurchase } from './run-purchase';

export interface BuyOptions {
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

export async function buy(options: BuyOptions): Promise<number> {
  return withContext(async (ctx) => {
    const organisationId = ctx.settings.datacosmos.organisationId;
    const budget: Budget | undefined = options.maxTotal
      ? {
          maxTotal: options.maxTotal,
          currency: options.currency,
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
