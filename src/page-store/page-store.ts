/**
 * Writing and reading stored pages (src/shared/stored-pages.ts) through the Temporal client: a page is written by
 * starting its page workflow with the values as input (at most once: a page that exists is left as it is), and read
 * from that workflow's first history event, which any client or worker can fetch, the owner's worker or not. Used
 * by `dcp` (large batch inputs), by activities (a batch's report, a coverage plan) and by the report readers.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import {
  pageId,
  paginate,
  storedList,
  textPieces,
  type PageOwner,
  type StoredList,
  type StoredPage,
} from '../shared/stored-pages';
import { claimsTaskQueue } from '../shared/task-queues';
import { WORKFLOW_TYPE } from '../shared/workflow-types';

export interface StoreOptions {
  /** The workflows' queue of the owner's target: pages run on its claims queue, beside the registries. */
  taskQueue: string;
  owner: PageOwner;
  name: string;
}

type TemporalClient = Pick<Client, 'workflow' | 'workflowService' | 'options'>;

/** Stores the values in as many pages as their size needs, all at once; returns the reference. */
export async function storeList(client: TemporalClient, options: StoreOptions, values: unknown[]): Promise<StoredList> {
  const pages = paginate(values);
  const list = storedList(options.owner, options.name, pages);
  await Promise.all(pages.map((page, n) => storePage(client, options.taskQueue, list, n, page)));
  return list;
}

/** Stores one page of a list whose other pages are written elsewhere (a batch's report, a page at a time). */
export async function storePage(
  client: TemporalClient,
  taskQueue: string,
  list: Pick<StoredList, 'owner' | 'name'>,
  page: number,
  values: unknown[],
): Promise<void> {
  const input: StoredPage = { owner: list.owner, values };
  try {
    await client.workflow.start(WORKFLOW_TYPE.storedPage, {
      workflowId: pageId(list, page),
      taskQueue: claimsTaskQueue(taskQueue),
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  } catch (err) {
    // Written before, and since closed with its owner: the page is there to read.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}

/** The values of one page, from its workflow's start event. */
export async function readPage(client: TemporalClient, list: StoredList, page: number): Promise<unknown[]> {
  const workflowId = pageId(list, page);
  const stored = await startArgument<StoredPage>(client, workflowId);
  if (!stored) throw new Error(`stored page ${workflowId} has no values`);
  return stored.values;
}

/**
 * The first argument a workflow (its latest run) was started with, from its start event: one event read, however
 * long its history. Temporal's NOT_FOUND (past the namespace's retention, or never started) is thrown as it comes.
 */
export async function startArgument<T>(client: TemporalClient, workflowId: string): Promise<T | undefined> {
  const reply = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId },
    maximumPageSize: 1,
  });
  const payload = reply.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return payload ? client.options.loadedDataConverter.payloadConverter.fromPayload<T>(payload) : undefined;
}

/** Every value of the list, in order. */
export async function readList(client: TemporalClient, list: StoredList): Promise<unknown[]> {
  const pages = await Promise.all(Array.from({ length: list.pages }, (_, n) => readPage(client, list, n)));
  return pages.flat();
}

/** Stores a long text (a large GeoJSON) as a list of pieces. */
export function storeText(client: TemporalClient, options: StoreOptions, text: string): Promise<StoredList> {
  return storeList(client, options, textPieces(text));
}

export async function readText(client: TemporalClient, list: StoredList): Promise<string> {
  return ((await readList(client, list)) as string[]).join('');
}
