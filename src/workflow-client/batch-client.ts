/**
 * Starting and following batches through the Temporal client; shared by `dcp batch`, schedules and tests.
 * The batch id is the workflow id: a running batch is attached to, a finished one is reported. What would make
 * the batch's input large (a long item list, a large area of interest or search) is stored in pages first, and
 * the report comes back from pages too.
 */
import { createHash } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { readList, storeList, storeText } from '../page-store/page-store';
import { progressQuery } from '../shared/batch-messages';
import { WORKFLOW_TYPE } from '../shared/workflow-types';
import {
  unpackRow,
  type BatchInput,
  type BatchProgress,
  type BatchResult,
  type BatchSearch,
  type ItemReport,
  type PackedRow,
} from '../shared/batch-types';
import type { CoveragePickRecord, CoveragePlanRecord, CoverageRequest } from '../shared/coverage-types';
import { itemKey } from '../shared/item-key';
import type { LineItemInput } from '../shared/purchase-types';
import { INLINE_BYTES, jsonBytes, type PageOwner } from '../shared/stored-pages';
import { BatchIdKey, OrganisationIdKey } from '../shared/search-attributes';
import { followWorkflow } from './follow-workflow';
import { startOnce, type StartedOnce } from './start-once';
import type { batchPurchaseWorkflow } from '../workflows/batch';

export type BatchHandle = WorkflowHandle<typeof batchPurchaseWorkflow>;

export type StartedBatch = StartedOnce<typeof batchPurchaseWorkflow>;

export async function startBatch(
  client: Client,
  options: { taskQueue: string; organisationId: number },
  input: BatchInput,
): Promise<StartedBatch> {
  const owner: PageOwner = { kind: 'workflow', id: input.batchId };
  const stored = await storeLargeInput(client, options.taskQueue, owner, input);
  return startOnce<typeof batchPurchaseWorkflow>(client, WORKFLOW_TYPE.batch, {
    workflowId: input.batchId,
    taskQueue: options.taskQueue,
    args: [stored],
    typedSearchAttributes: [
      { key: BatchIdKey, value: input.batchId },
      { key: OrganisationIdKey, value: String(options.organisationId) },
    ],
  });
}

/**
 * The input as the workflow gets it: an item list (once each, in file order) over INLINE_BYTES in pages, and the
 * bulk of a search or an area of interest over INLINE_BYTES in pages too. Page names carry a hash of their content,
 * so starting the same batch again reuses them and another input under the same id never reads them.
 */
export async function storeLargeInput<T extends Pick<BatchInput, 'items' | 'search' | 'coverage'>>(
  client: Client,
  taskQueue: string,
  owner: PageOwner,
  input: T,
): Promise<T & Pick<BatchInput, 'storedItems'>> {
  const { items, search, coverage, ...rest } = input;
  const store = (name: string, content: unknown) => ({ taskQueue, owner, name: `${name}-${contentHash(content)}` });
  const result = { ...rest } as T & Pick<BatchInput, 'storedItems'>;
  if (items) {
    const unique = onceEach(items);
    if (jsonBytes(unique) <= INLINE_BYTES) result.items = unique;
    else result.storedItems = await storeList(client, store('items', unique), unique);
  }
  if (search) result.search = await storeLargeSearch(client, store, search);
  if (coverage) result.coverage = await storeLargeArea(client, store, coverage);
  return result;
}

type StoreOptionsOf = (name: string, content: unknown) => Parameters<typeof storeList>[1];

async function storeLargeSearch(client: Client, store: StoreOptionsOf, search: BatchSearch): Promise<BatchSearch> {
  if (jsonBytes(search) <= INLINE_BYTES) return search;
  // The batch reads maxItems (and a schedule's run sets datetime) itself: they stay inline.
  const { maxItems, ...bulk } = search;
  const text = JSON.stringify(bulk);
  return {
    ...(maxItems !== undefined ? { maxItems } : {}),
    stored: await storeText(client, store('search', text), text),
  };
}

async function storeLargeArea(
  client: Client,
  store: StoreOptionsOf,
  coverage: CoverageRequest,
): Promise<CoverageRequest> {
  const { aoi, ...rest } = coverage;
  if (aoi === undefined || jsonBytes(aoi) <= INLINE_BYTES) return coverage;
  const text = JSON.stringify(aoi);
  return { ...rest, storedAoi: await storeText(client, store('aoi', text), text) };
}

function onceEach(items: LineItemInput[]): LineItemInput[] {
  const seen = new Set<string>();
  return items.filter((line) => {
    const key = itemKey(line);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function contentHash(content: unknown): string {
  return createHash('sha256')
    .update(typeof content === 'string' ? content : JSON.stringify(content))
    .digest('hex')
    .slice(0, 12);
}

/** Waits for the result, calling onProgress with the progress query every interval. */
export async function followBatch(
  handle: BatchHandle,
  onProgress: (progress: BatchProgress) => void,
  intervalMs = 500,
): Promise<BatchResult> {
  return followWorkflow(handle.result(), () => handle.query(progressQuery), onProgress, intervalMs);
}

/** Every row of a batch's report, in the order the items were examined: the stored pages, then the last rows. */
export async function readBatchItems(
  client: Client,
  result: Pick<BatchResult, 'rowPages' | 'rows'>,
): Promise<ItemReport[]> {
  const stored = (await readList(client, result.rowPages)) as PackedRow[];
  return [...stored, ...result.rows].map(unpackRow);
}

/** The picks of a coverage plan, in the order chosen. */
export async function readCoveragePicks(client: Client, plan: CoveragePlanRecord): Promise<CoveragePickRecord[]> {
  return (await readList(client, plan.picks)) as CoveragePickRecord[];
}
