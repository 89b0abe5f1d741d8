/** `dcp claims`: who owns or is buying each item of the organisation, and the release of claims left behind. */
import type { Client } from '@temporalio/client';
import { Command, Option } from 'commander';
import type { Claim, ClaimState } from '../shared/claim-types';
import { CliError, ExitCode } from '../shared/errors';
import { itemKey } from '../shared/item-key';
import { allClaims, lookUpClaims, releaseClaims } from '../workflow-client/claims';
import { formatTable, parser, printJson, withContext } from './context';
import { parseItemArgument } from './items';

const STATES: ClaimState[] = ['HELD', 'WATCHING', 'OWNED'];

interface ShownClaim extends Claim {
  /** For a held claim: whether its holder still runs (a claim whose holder ended is released at the next check). */
  holderRunning?: boolean;
}

const collectItem = (text: string, previous: string[] = []) => [...previous, itemKey(parser(parseItemArgument)(text))];

async function holderRuns(client: Client, holder: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(holder).describe()).status.name === 'RUNNING';
  } catch {
    return false;
  }
}

export function registerClaimsCommands(program: Command): void {
  const claims = program
    .command('claims')
    .description("the organisation's item claims: who owns each item (PAID order) or is buying it")
    .option('--item <collection/item>', 'only this item (repeat for several)', collectItem)
    .option('--holder <purchase-id>', 'only the claims of this purchase')
    .addOption(new Option('--state <state>', 'only claims in this state').choices(STATES))
    .option('--json', 'print JSON', false)
    .action(async (options: { item?: string[]; holder?: string; state?: ClaimState; json: boolean }) => {
      await withContext(async (ctx) => {
        const client = await ctx.temporal();
        const scope = { taskQueue: ctx.settings.temporal.taskQueue, organisationId: ctx.settings.datacosmos.organisationId };
        const found = options.item ? await lookUpClaims(client, scope, options.item) : await allClaims(client, scope);
        const shown: ShownClaim[] = await Promise.all(
          found
            .filter((c) => (!options.holder || c.holder === options.holder) && (!options.state || c.state === options.state))
            .sort((a, b) => a.item.localeCompare(b.item))
            .map(async (c) => (c.state === 'HELD' ? { ...c, holderRunning: await holderRuns(client, c.holder) } : c)),
        );
        if (options.json) return printJson(shown);
        const rows = shown.map((c) => [
          c.item,
          c.state,
          c.holder + (c.holderRunning === false ? ' (ended)' : ''),
          c.orderId ?? '-',
          c.since,
        ]);
        process.stdout.write(`${formatTable(['ITEM', 'STATE', 'HOLDER', 'ORDER', 'SINCE'], rows)}\n${shown.length} claims\n`);
      });
    });

  claims
    .command('release <items...>')
    .description(
      'release claims left behind (a holder that ended, an order that will not be paid); ' +
        'refused for owned items and for holders still running',
    )
    .option('--reason <text>', 'why, for the record', 'released by an operator')
    .action(async (items: string[], options: { reason: string }) => {
      const keys = items.map((text) => {
        try {
          return itemKey(parseItemArgument(text));
        } catch (err) {
          throw new CliError((err as Error).message, ExitCode.USAGE);
        }
      });
      await withContext(async (ctx) => {
        const client = await ctx.temporal();
        const scope = { taskQueue: ctx.settings.temporal.taskQueue, organisationId: ctx.settings.datacosmos.organisationId };
        const current = new Map((await lookUpClaims(client, scope, keys)).map((c) => [c.item, c]));
        for (const key of keys) {
          const claim = current.get(key);
          if (!claim) throw new CliError(`${key} is not claimed`, ExitCode.USAGE);
          if (claim.state === 'OWNED') {
            throw new CliError(`${key} is owned (PAID order ${claim.orderId}): owned items stay claimed`, ExitCode.USAGE);
          }
          if (claim.state === 'HELD' && (await holderRuns(client, claim.holder))) {
            throw new CliError(`${key} is held by running purchase ${claim.holder}: cancel it first`, ExitCode.USAGE);
          }
        }
        const released = await releaseClaims(client, scope, keys, options.reason);
        for (const claim of released) {
          process.stdout.write(`released ${claim.item} (${claim.state} by ${claim.holder}${claim.orderId ? `, order ${claim.orderId}` : ''})\n`);
        }
      });
    });
}
