/**
 * The payloads a workflow writes, read from its histories (every run), not from the server's warning log: every
 * payload of an event counted together (input, result, memo, search attributes, headers), which bounds from above
 * each blob the server checks.
 */
import type { Client } from '@temporalio/client';

export interface LargestPayload {
  bytes: number;
  workflowId: string;
  runId: string;
  workflowType: string;
  eventType: string;
}

/** Temporal warns of any payload over this (`limit.blobSize.warn`); every bound of the product stays under it. */
export const PAYLOAD_WARN_BYTES = 512 * 1024;

/** The largest payload of every execution the query lists (each run of each workflow is one execution). */
export async function largestPayloads(client: Client, query: string): Promise<Map<string, LargestPayload>> {
  const byType = new Map<string, LargestPayload>();
  for await (const execution of client.workflow.list({ query })) {
    for (const event of await historyEvents(client, execution.workflowId, execution.runId)) {
      const bytes = payloadBytes(event);
      const known = byType.get(execution.type);
      if (!known || bytes > known.bytes) {
        byType.set(execution.type, {
          bytes,
          workflowId: execution.workflowId,
          runId: execution.runId,
          workflowType: execution.type,
          eventType: String((event as { eventType?: unknown }).eventType ?? ''),
        });
      }
    }
  }
  return byType;
}

/** Every event of one run, in small pages: a page of a thousand large events would pass gRPC's 4 MB. */
async function historyEvents(client: Client, workflowId: string, runId: string): Promise<unknown[]> {
  const events: unknown[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.getWorkflowExecutionHistory({
      namespace: client.options.namespace,
      execution: { workflowId, runId },
      maximumPageSize: 100,
      nextPageToken,
    });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return events;
}

/** All payload bytes of one event. */
function payloadBytes(node: unknown): number {
  if (node === null || typeof node !== 'object' || node instanceof Uint8Array) return 0;
  const record = node as Record<string, unknown>;
  if (record.data instanceof Uint8Array && 'metadata' in record) return record.data.length;
  return Object.values(record).reduce(
    (sum: number, child) =>
      sum + (Array.isArray(child) ? child.reduce((s: number, item) => s + payloadBytes(item), 0) : payloadBytes(child)),
    0,
  );
}
