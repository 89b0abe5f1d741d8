/** `dcp claims`: who owns or is buying each item of the organisation, and the release of claims left behind. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Claim, ClaimState } from '../shared/claim-types';
import { CliError, ExitCode } from '../shared/errors';
import { itemKey } from '../shared/item-key';
import { allClaims, lookUpClaims, releaseClaims } from '../activities/claims';
import type { LineItemInput } from '../shared/purchase-types';
import { withContext } from './context';
import { formatTable, printJson } from './output';

interface ShownClaim extends Claim {
  /**
   * For a held claim: whether its holder still runs (a claim whose holder ended is released at the next check); absent
   * (shown `(?)`) when Temporal could not tell.
   */
  holderRunning?: boolean;
}

/**
 * Whether the holder still runs; only a holder Temporal does not know is taken for ended. Any other error (Temporal
 * out of reach, a rate limit) is thrown: a release must not take a running holder for ended.
 */
async function holderRuns(client: Client, holder: string): Promise<boolean> {
  try {
    return (await client.workflow.getHandle(holder).describe()).status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** For the listing: whether the holder runs, left out (unknown) when it cannot be told. */
async function holderRunsIfKnown(client: Client, holder: string): Promise<boolean | undefined> {
  return holderRuns(client, holder).catch(() => undefined);
}

export async function showClaims(options: {
  item?: LineItemInput[];
  holder?: string;
  state?: ClaimState;
  json: boolean;
}): Promise<void> {
  await withContext(async (ctx) => {
    const client = await ctx.temporal();
    const { scope } = ctx;
    const found = options.item
      ? await lookUpClaims(client, scope, options.item.map(itemKey))
      : await allClaims(client, scope);
    const shown: ShownClaim[] = await Promise.all(
      found
        .filter(
          (c) => (!options.holder || c.holder === options.holder) && (!options.state || c.state === options.state),
        )
        .sort((a, b) => a.item.localeCompare(b.item))
        .map(async (c) =>
          c.state === 'HELD' ? { ...c, holderRunning: await holderRunsIfKnown(client, c.holder) } : c,
        ),
    );
    if (options.json) return printJson(shown);
    const rows = shown.map((c) => [
      c.item,
      c.state,
      c.holder +
        (c.holderRunning === false ? ' (ended)' : c.state === 'HELD' && c.holderRunning === undefined ? ' (?)' : ''),
      c.orderId ?? '-',
      c.since,
    ]);
    process.stdout.write(
      `${formatTable(['ITEM', 'STATE', 'HOLDER', 'ORDER', 'SINCE'], rows)}\n${shown.length} claims\n`,
    );
  });
}

/** Releases the claims of these items: refused for owned items and for holders still running. */
export async function releaseItems(items: LineItemInput[], reason: string): Promise<void> {
  const keys = items.map(itemKey);
  await withContext(async (ctx) => {
    const client = await ctx.temporal();
    const { scope } = ctx;
    const current = new Map((await lookUpClaims(client, scope, keys)).map((c) => [c.item, c]));
    const toRelease: Claim[] = [];
    for (const key of keys) {
      const claim = current.get(key);
      if (!claim) throw new CliError(`${key} is not claimed`, ExitCode.USAGE);
      if (claim.state === 'OWNED') {
        throw new CliError(`${key} is owned (PAID order ${claim.orderId}): owned items stay claimed`, ExitCode.USAGE);
      }
      if (claim.state === 'HELD' && (await holderRuns(client, claim.holder))) {
        throw new CliError(`${key} is held by running purchase ${claim.holder}: cancel it first`, ExitCode.USAGE);
      }
      toRelease.push(claim);
    }
    const released = await releaseClaims(client, scope, toRelease, reason);
    for (const claim of released) {
      process.stdout.write(
        `released ${claim.item} (${claim.state} by ${claim.holder}${claim.orderId ? `, order ${claim.orderId}` : ''})\n`,
      );
    }
    const kept = toRelease.filter((c) => !released.some((r) => r.item === c.item));
    if (kept.length > 0) {
      throw new CliError(
        `not released, their claims changed since they were read: ${kept.map((c) => c.item).join(', ')}`,
        ExitCode.USAGE,
      );
    }
  });
}
