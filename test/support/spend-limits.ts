/** Spend-limit test helpers: `dcp limits` as a user runs it, the simulator's paid total, and the checks a limit must pass. */
import type { BatchResult, ItemReport } from '../../src/shared/batch-types';
import { add, compare, subtract } from '../../src/shared/money';
import type { LimitReport } from '../../src/shared/spend-limit-types';
import { runDcp, type DcpRun } from './dcp';
import type { PurchaseEnv } from './purchase-env';

export async function dcpOk(env: PurchaseEnv, args: string[]): Promise<DcpRun> {
  const run = await runDcp(env.settings, args, 120_000);
  if (run.code !== 0) throw new Error(`dcp ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run;
}

/** `dcp limits list --json`, by limit name. */
export async function limitsOf(env: PurchaseEnv): Promise<Map<string, LimitReport>> {
  const reports = JSON.parse((await dcpOk(env, ['limits', 'list', '--json'])).stdout) as LimitReport[];
  return new Map(reports.map((r) => [r.limit.name, r]));
}

/** What the organisation's PAID orders add up to, from the simulator's own audit. */
export async function paidTotal(env: PurchaseEnv): Promise<string> {
  const orders = await env.admin.orders(env.account.organisation);
  return add('0', ...orders.filter((o) => o.status === 'PAID').map((o) => o.total as string));
}

/**
 * After batches that asked for more than a limit allows have ended: the PAID orders add up to at most the limit (to
 * the cent), the ledger counts exactly them with nothing left reserved, every item is PAID or SKIPPED_LIMIT, and each
 * skipped item costs more than one of `skipLeft(row)` (what its limits have left). Returns the rows and the report.
 */
export async function expectLimitHeld(
  env: PurchaseEnv,
  results: BatchResult[],
  limit: { name: string; amount: string },
  skipLeft: (row: ItemReport, left: string) => string[] = (_row, left) => [left],
): Promise<{ rows: ItemReport[][]; report: LimitReport; skipped: ItemReport[] }> {
  const committed = await paidTotal(env);
  const report = (await limitsOf(env)).get(limit.name) as LimitReport;
  expect(compare(committed, limit.amount)).toBeLessThanOrEqual(0);
  expect(report).toMatchObject({ spent: committed, reserved: '0', holders: [] });
  expect(report.left).toBe(subtract(limit.amount, committed));
  const rows = await Promise.all(results.map((r) => env.batchItems(r)));
  const skipped = rows.flat().filter((r) => r.outcome === 'SKIPPED_LIMIT');
  expect(skipped.length).toBeGreaterThan(0);
  for (const row of rows.flat()) expect(['PAID', 'SKIPPED_LIMIT']).toContain(row.outcome);
  // Stopped only when what was left could not buy what it skipped.
  for (const row of skipped) {
    expect(skipLeft(row, report.left).some((left) => compare(row.price as string, left) > 0)).toBe(true);
  }
  return { rows, report, skipped };
}
