/**
 * `dcp quote`: what these items would cost under this contract, before anything is bought. The contract is chosen
 * and the items priced by the very functions a purchase's activities call (catalog look-up with inline prices,
 * then the v1 batch or the documented v0 price, a sub-area through the v0 price with its geometry); nothing is
 * created, claimed or paid.
 */
import { chooseContract } from '../activities/contracts';
import { priceLineItems } from '../activities/pricing';
import type { Aoi } from '../coverage/aoi';
import { itemKey } from '../shared/item-key';
import type { LineItemInput, Quote, ResolvedContract } from '../shared/purchase-types';
import { targetName } from '../shared/target';
import { settingsTarget } from '../config/settings';
import { readAoiFile } from './aoi-request';
import { asCliFailure } from './activity-failure';
import { areaLineItems } from './area-line-items';
import { withContext, type CommandContext } from './context';
import { formatTable, printJson } from './output';

export interface QuoteOptions {
  item: LineItemInput[];
  contract?: number;
  aoi?: string;
  json: boolean;
}

export interface QuoteReport {
  target: string;
  contract: ResolvedContract;
  quote: Quote;
  /** Per line item with a sub-area: its area in km² (a scene bought whole has the scene's). */
  areasKm2: Record<string, number>;
}

export async function quote(options: QuoteOptions): Promise<void> {
  const aoi = options.aoi === undefined ? undefined : readAoiFile(options.aoi);
  await withContext(async (ctx) => {
    const report = await quoteItems(ctx, options.item, options.contract, aoi);
    if (options.json) printJson(report);
    else process.stdout.write(`${formatQuote(report)}\n`);
  });
}

async function quoteItems(
  ctx: CommandContext,
  items: LineItemInput[],
  contractId: number | undefined,
  aoi: Aoi | undefined,
): Promise<QuoteReport> {
  const client = ctx.datacosmos();
  const { organisationId } = ctx.settings.datacosmos;
  const signal = AbortSignal.timeout(5 * 60_000);
  return asCliFailure(async () => {
    const contracts = await client.listContracts(organisationId, { includeInactive: true, signal });
    const contract = chooseContract(contracts, organisationId, new Date(), contractId);
    const { lines, areasKm2 } = aoi
      ? await areaLineItems(client, contract.contractId, items, aoi, signal)
      : { lines: items, areasKm2: {} };
    const priced = await priceLineItems(client, contract.contractId, lines, signal);
    return { target: targetName(settingsTarget(ctx.settings)), contract, quote: priced, areasKm2 };
  });
}

export function formatQuote(report: QuoteReport): string {
  const { contract, quote: q } = report;
  const rows = q.lineItems.map((line) => {
    const key = itemKey(line);
    const area = report.areasKm2[key];
    return [
      key,
      line.level,
      line.geometry
        ? `sub-area ${area.toFixed(2)} km²`
        : area === undefined
          ? 'whole scene'
          : 'whole scene (no cut fits)',
      `${line.price} ${line.currency}`,
    ];
  });
  return [
    `quote on ${report.target}, contract ${contract.contractId} (${contract.name}, ${contract.currency})`,
    formatTable(['ITEM', 'LEVEL', 'AREA', 'PRICE'], rows),
    `total: ${q.total} ${q.currency} (nothing was ordered; \`dcp buy\` with the same options orders these line items)`,
  ].join('\n');
}
