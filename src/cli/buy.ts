/** `dcp buy`: start (or attach to) one purchase, and by default follow it to its end. */
import type { Budget, LineItemInput, PurchaseInput } from '../shared/purchase-types';
import { purchaseInputProblems } from '../shared/purchase-validation';
import { settingsTarget } from '../config/settings';
import { asCliFailure } from './activity-failure';
import { deliverOptions } from './deliver-option';
import { readAoiFile } from './aoi-request';
import { areaLineItems } from './area-line-items';
import { withContext } from './context';
import { CliError, ExitCode } from '../shared/errors';
import { derivePurchaseId } from './purchase-key';
import { runPurchase } from './run-purchase';

/** How long cutting the scenes to the area may take (one catalog search). */
const AREA_SIGNAL = () => AbortSignal.timeout(5 * 60_000);

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
  deliverEndpoint?: string;
  whenClaimed: 'drop' | 'wait';
  aoi?: string;
  projectId?: string;
  notify?: string[];
  wait: boolean;
  json: boolean;
}

export async function buy(options: BuyOptions): Promise<number> {
  if (options.projectId !== undefined && options.aoi === undefined) {
    throw new CliError('--project-id goes with --aoi', ExitCode.USAGE);
  }
  const deliver = deliverOptions(options);
  const aoi = options.aoi === undefined ? undefined : readAoiFile(options.aoi);
  return withContext(async (ctx) => {
    const budget: Budget | undefined = options.maxTotal
      ? {
          maxTotal: options.maxTotal,
          currency: options.currency,
          approval: options.approval,
          approvalTimeoutMs: options.approvalTimeout,
        }
      : undefined;
    if (!budget && options.currency) throw new CliError('--currency goes with --max-total', ExitCode.USAGE);
    // With an area, each scene is cut to it before the purchase starts (and checked to overlap it).
    const lines = aoi
      ? (await asCliFailure(() => areaLineItems(ctx.datacosmos(), options.contract, options.item, aoi, AREA_SIGNAL())))
          .lines
      : options.item;
    const purchaseId = options.purchaseId ?? derivePurchaseId(settingsTarget(ctx.settings), options.contract, lines);
    const projectId = options.projectId ?? purchaseId;
    const input: PurchaseInput = {
      purchaseId,
      items: lines.map((line) => (line.geometry ? { ...line, projectId } : line)),
      contractId: options.contract,
      budget,
      paymentWindowMs: options.paymentWindow,
      batchId: options.batch,
      ...(deliver ? { deliver } : {}),
      ...(options.whenClaimed === 'wait' ? { whenClaimed: 'wait' as const } : {}),
      ...(options.notify ? { notify: options.notify } : {}),
    };
    const problems = purchaseInputProblems(input);
    if (problems.length > 0) throw new CliError(`invalid purchase: ${problems.join('; ')}`, ExitCode.USAGE);

    return runPurchase(ctx, input, options);
  });
}
