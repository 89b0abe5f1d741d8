/** `dcp list` and `dcp watch`: purchases found through their search attributes. */
import type { Client } from '@temporalio/client';
import { statusQuery } from '../shared/purchase-messages';
import { WORKFLOW_TYPE } from '../shared/workflow-types';
import type { PurchaseStatus } from '../shared/purchase-types';
import { withContext } from './context';
import { formatTable, note, printJson } from './output';
import { formatDuration } from '../shared/duration';

export interface ListFilters {
  stage?: string;
  orderStatus?: string;
  batch?: string;
  running?: boolean;
  /** Milliseconds: only purchases started longer ago than this. */
  olderThan?: number;
  /** Milliseconds: only purchases started more recently than this. */
  newerThan?: number;
  /** Only purchases of this task queue (the configured DataCosmos target's); unset with --all-targets. */
  taskQueue?: string;
  limit: number;
}

/**
 * Builds a Temporal visibility query; values are quoted so user text cannot change the query. Ages are measured
 * from `now` against StartTime (RFC 3339), which for a purchase that continued as new is its latest run's start.
 */
export function purchaseListQuery(filters: Omit<ListFilters, 'limit'>, now = Date.now()): string {
  const quote = (value: string) => `"${value.replace(/["\\]/g, '')}"`;
  const clauses = [`WorkflowType = "${WORKFLOW_TYPE.purchase}"`];
  if (filters.taskQueue) clauses.push(`TaskQueue = ${quote(filters.taskQueue)}`);
  if (filters.stage) clauses.push(`PurchaseStage = ${quote(filters.stage)}`);
  if (filters.orderStatus) clauses.push(`OrderStatus = ${quote(filters.orderStatus)}`);
  if (filters.batch) clauses.push(`BatchId = ${quote(filters.batch)}`);
  if (filters.running) clauses.push(`ExecutionStatus = "Running"`);
  const startedBefore = (ageMs: number) => quote(new Date(now - ageMs).toISOString());
  if (filters.olderThan !== undefined) clauses.push(`StartTime < ${startedBefore(filters.olderThan)}`);
  if (filters.newerThan !== undefined) clauses.push(`StartTime > ${startedBefore(filters.newerThan)}`);
  return clauses.join(' AND ');
}

interface PurchaseRow {
  purchaseId: string;
  stage: string;
  orderStatus: string;
  orderId: string;
  total: string;
  started: string;
  status: string;
  taskQueue: string;
}

/** The first `limit` purchases that match, and whether more do (one past the limit is read to know). */
async function listPurchases(client: Client, filters: ListFilters): Promise<{ rows: PurchaseRow[]; more: boolean }> {
  const rows: PurchaseRow[] = [];
  for await (const wf of client.workflow.list({ query: purchaseListQuery(filters), pageSize: 100 })) {
    const attrs = wf.searchAttributes as Record<string, unknown[] | undefined>;
    const first = (name: string) => (attrs[name]?.[0] === undefined ? '-' : String(attrs[name]?.[0]));
    rows.push({
      purchaseId: wf.workflowId,
      stage: first('PurchaseStage'),
      orderStatus: first('OrderStatus'),
      orderId: first('DataCosmosOrderId'),
      total: first('TotalPrice'),
      started: wf.startTime.toISOString(),
      status: wf.status.name,
      taskQueue: wf.taskQueue,
    });
    if (rows.length > filters.limit) return { rows: rows.slice(0, filters.limit), more: true };
  }
  return { rows, more: false };
}

export async function list(options: ListFilters & { json: boolean; allTargets: boolean }): Promise<void> {
  await withContext(async (ctx) => {
    const taskQueue = options.allTargets ? undefined : ctx.settings.temporal.taskQueue;
    const { rows, more } = await listPurchases(await ctx.temporal(), { ...options, taskQueue });
    // A list cut short says so, where a script piping the JSON on (a redrive of every FAILED one) sees it too.
    if (more) note(`only the first ${options.limit} purchases that match are listed: raise --limit or narrow it`);
    if (options.json) return printJson(rows);
    const headers = ['PURCHASE', 'STAGE', 'ORDER STATUS', 'ORDER', 'TOTAL', 'STARTED'];
    const cells = rows.map((r) => [r.purchaseId, r.stage, r.orderStatus, r.orderId, r.total, r.started]);
    process.stdout.write(
      options.allTargets
        ? `${formatTable(
            [...headers, 'TASK QUEUE'],
            cells.map((c, i) => [...c, rows[i].taskQueue]),
          )}\n`
        : `${formatTable(headers, cells)}\n`,
    );
  });
}

/** Purchases in the live table: a screenful. */
const WATCHED = 50;

export async function watch(options: { interval: number; once: boolean }): Promise<void> {
  await withContext(async (ctx) => {
    const client = await ctx.temporal();
    for (;;) {
      const table = await watchTable(client, ctx.settings.temporal.taskQueue);
      process.stdout.write(options.once ? `${table}\n` : `\x1b[2J\x1b[H${new Date().toISOString()}\n${table}\n`);
      if (options.once) return;
      await new Promise((resolve) => setTimeout(resolve, options.interval * 1000));
    }
  });
}

async function watchTable(client: Client, taskQueue: string): Promise<string> {
  const { rows, more } = await listPurchases(client, { running: true, taskQueue, limit: WATCHED });
  const now = Date.now();
  const cells = await Promise.all(
    rows.map(async (row) => {
      const status: PurchaseStatus | null = await client.workflow
        .getHandle(row.purchaseId)
        .query(statusQuery)
        .catch(() => null);
      const next = status?.nextCheckAt ? formatDuration(Date.parse(status.nextCheckAt) - now) : '-';
      return [
        row.purchaseId,
        status?.stage ?? row.stage,
        status?.orderId ?? '-',
        status?.orderStatus ?? '-',
        formatDuration(now - Date.parse(row.started)),
        next,
        String(status?.polls ?? 0),
      ];
    }),
  );
  const table = formatTable(['PURCHASE', 'STAGE', 'ORDER', 'ORDER STATUS', 'AGE', 'NEXT CHECK', 'POLLS'], cells);
  return more ? `${table}\n(the first ${WATCHED} in flight; dcp list --running lists them all)` : table;
}
