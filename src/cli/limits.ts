/** `dcp limits`: the organisation's spend limits, what each has spent and reserved in its period, and their changes. */
import { ledgerState, removeSpendLimit, setSpendLimit } from '../activities/spend';
import { CliError, ExitCode } from '../shared/errors';
import type { LimitPeriod, LimitReport, LimitScope, SpendLimit } from '../shared/spend-limit-types';
import { limitReports, timeZoneProblem } from '../shared/spend-limits';
import { withContext } from './context';
import { formatTable, printJson } from './output';

export interface SetLimitOptions {
  period: LimitPeriod;
  amount: string;
  currency: string;
  scope: string[];
  timeZone: string;
  name?: string;
}

/** `organisation`, `contract ID` or `schedule ID`, as given to --scope. */
export function parseScope(words: string[]): LimitScope {
  const [kind, value, ...rest] = words;
  if (kind === 'organisation' && value === undefined) return { kind };
  if (kind === 'contract' && value !== undefined && rest.length === 0 && /^\d{1,15}$/.test(value)) {
    return { kind, contractId: Number(value) };
  }
  if (kind === 'schedule' && value !== undefined && rest.length === 0) return { kind, scheduleId: value };
  throw new CliError(
    `limits set: --scope must be "organisation", "contract ID" or "schedule ID", not "${words.join(' ')}"`,
    ExitCode.USAGE,
  );
}

function scopeText(scope: LimitScope): string {
  if (scope.kind === 'contract') return `contract ${scope.contractId}`;
  if (scope.kind === 'schedule') return `schedule ${scope.scheduleId}`;
  return 'organisation';
}

function defaultName(scope: LimitScope, period: LimitPeriod): string {
  return `${scopeText(scope).replace(' ', '-')}-${period}`;
}

export async function setLimit(options: SetLimitOptions): Promise<void> {
  const scope = parseScope(options.scope);
  const problem = timeZoneProblem(options.timeZone, Date.now());
  if (problem) throw new CliError(`limits set: ${problem}`, ExitCode.USAGE);
  const limit: SpendLimit = {
    name: options.name ?? defaultName(scope, options.period),
    period: options.period,
    amount: options.amount,
    currency: options.currency,
    scope,
    timeZone: options.timeZone,
    setAt: new Date().toISOString(),
  };
  await withContext(async (ctx) => {
    await setSpendLimit(await ctx.temporal(), ctx.scope, limit, ctx.settings.worker.claimCheckEveryMs);
    process.stdout.write(
      `limit ${limit.name}: ${limit.amount} ${limit.currency} per ${limit.period} for ${scopeText(scope)}\n`,
    );
  });
}

export async function removeLimit(name: string): Promise<void> {
  await withContext(async (ctx) => {
    if (!(await removeSpendLimit(await ctx.temporal(), ctx.scope, name))) {
      throw new CliError(`no spend limit named ${name}`, ExitCode.USAGE);
    }
    process.stdout.write(`removed limit ${name}\n`);
  });
}

function formatReports(reports: LimitReport[]): string {
  if (reports.length === 0) return 'no spend limits';
  const table = formatTable(
    ['NAME', 'SCOPE', 'PERIOD', 'LIMIT', 'SPENT', 'RESERVED', 'LEFT', 'SINCE'],
    reports.map((r) => [
      r.limit.name,
      scopeText(r.limit.scope),
      r.limit.period === 'total' ? 'total' : `${r.limit.period} (${r.limit.timeZone})`,
      `${r.limit.amount} ${r.limit.currency}`,
      r.spent,
      r.reserved,
      r.left,
      r.periodStart ?? '-',
    ]),
  );
  const holders = reports.flatMap((r) =>
    r.holders.map((h) => `  ${r.limit.name}: ${h.holder} holds ${h.amount} ${r.limit.currency} (${h.state})`),
  );
  return holders.length > 0 ? `${table}\nreservations:\n${holders.join('\n')}` : table;
}

export async function listLimits(options: { json: boolean }): Promise<void> {
  await withContext(async (ctx) => {
    const reports = limitReports(await ledgerState(await ctx.temporal(), ctx.scope), Date.now());
    if (options.json) return printJson(reports);
    process.stdout.write(`${formatReports(reports)}\n`);
  });
}
