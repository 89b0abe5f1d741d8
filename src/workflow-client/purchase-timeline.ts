/**
 * A readable timeline of a purchase from its workflow history: every run of the continue-as-new chain, what the
 * purchase did and what it was told. Only chosen fields of decoded payloads are shown, never whole payloads, so
 * nothing that ever entered a payload by mistake is printed.
 */
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { PayloadConverter } from '@temporalio/common';
import { formatDuration } from '../shared/duration';
import {
  PURCHASE_ENDS,
  type OrderSummary,
  type PurchaseInput,
  type PurchaseResult,
  type Quote,
  type ResolvedContract,
} from '../shared/purchase-types';
import { PurchaseStageKey } from '../shared/search-attributes';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
type HistoryEvent = NonNullable<History['events']>[number];
type Payloads = { payloads?: Parameters<PayloadConverter['fromPayload']>[0][] | null } | null | undefined;

/** One run's events, in order. */
export type PurchaseRun = HistoryEvent[];

export interface TimelineEntry {
  /** ISO time of the event. */
  time: string;
  /** 1 for the first run, 2 after the first continue-as-new, ... */
  run: number;
  /** What kind of thing happened: started, activity, failed, signal, update, stage, continued, ended. */
  kind: string;
  text: string;
}

/** Every run of the purchase's chain, oldest first (following each run's link to the run it continued). */
export async function fetchPurchaseRuns(client: Client, purchaseId: string): Promise<PurchaseRun[]> {
  const runs: PurchaseRun[] = [];
  let runId: string | undefined;
  do {
    const events = await fetchRunEvents(client, purchaseId, runId);
    if (events === null) break; // an earlier run already removed by the namespace's retention
    runs.unshift(events);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  } while (runId);
  return runs;
}

/** The latest run's events (a missing purchase fails), or an earlier run's, or null when that run is gone. */
async function fetchRunEvents(client: Client, purchaseId: string, runId?: string): Promise<HistoryEvent[] | null> {
  try {
    return (await client.workflow.getHandle(purchaseId, runId).fetchHistory()).events ?? [];
  } catch (err) {
    if (runId !== undefined && err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/**
 * The input the purchase was started with: its latest run's, without what only continue-as-new sets (the state
 * carried, a restart's start time and run count), which would make a new purchase from it read as the old one.
 */
export async function fetchPurchaseInput(client: Client, purchaseId: string): Promise<PurchaseInput> {
  const history = await client.workflow.getHandle(purchaseId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const input = decode<PurchaseInput>(client.options.loadedDataConverter.payloadConverter, started?.input);
  if (!input) throw new Error(`the history of ${purchaseId} has no purchase input`);
  const { carried: _carried, restarted: _restarted, ...original } = input;
  return original;
}

export function purchaseTimeline(runs: PurchaseRun[], converter: PayloadConverter): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  runs.forEach((run, index) => {
    const reader = new RunReader(converter, index + 1);
    for (const event of run) {
      const entry = reader.read(event);
      if (entry) entries.push({ time: eventTime(event), run: index + 1, ...entry });
    }
  });
  return entries;
}

export function formatTimeline(purchaseId: string, entries: TimelineEntry[]): string {
  const runs = entries.reduce((most, e) => Math.max(most, e.run), 0);
  const header = `purchase ${purchaseId}: ${entries.length} events${runs > 1 ? ` over ${runs} runs` : ''}`;
  const width = Math.max(0, ...entries.map((e) => e.kind.length));
  return [
    header,
    ...entries.map((e) => `  ${e.time}  ${runs > 1 ? `run ${e.run}  ` : ''}${e.kind.padEnd(width)}  ${e.text}`),
  ].join('\n');
}

/** Reads one run's events in order, remembering which activity each completion belongs to. */
class RunReader {
  private readonly activities = new Map<string, string>();
  private readonly updates = new Map<string, string>();
  private polls = 0;
  private lastStage: string | null = null;

  constructor(
    private readonly converter: PayloadConverter,
    private readonly run: number,
  ) {}

  read(event: HistoryEvent): Omit<TimelineEntry, 'time' | 'run'> | null {
    const started = event.workflowExecutionStartedEventAttributes;
    if (started)
      return { kind: 'started', text: this.startedText(decode<PurchaseInput>(this.converter, started.input)) };

    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled) {
      this.activities.set(String(event.eventId), scheduled.activityType?.name ?? 'activity');
      return null;
    }
    const completed = event.activityTaskCompletedEventAttributes;
    if (completed) {
      const name = this.activities.get(String(completed.scheduledEventId)) ?? 'activity';
      return { kind: 'activity', text: this.activityText(name, decode(this.converter, completed.result)) };
    }
    const failed = event.activityTaskFailedEventAttributes;
    if (failed) {
      const name = this.activities.get(String(failed.scheduledEventId)) ?? 'activity';
      return { kind: 'failed', text: `${name} failed: ${failed.failure?.cause?.message || failed.failure?.message}` };
    }
    const timedOut = event.activityTaskTimedOutEventAttributes;
    if (timedOut)
      return { kind: 'failed', text: `${this.activities.get(String(timedOut.scheduledEventId))} timed out` };

    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_local_activity') {
      const data = decode<{ activity_type?: string }>(this.converter, marker.details?.data);
      const result = decode(this.converter, marker.details?.result);
      return result === undefined
        ? null
        : { kind: 'activity', text: this.activityText(data?.activity_type ?? 'activity', result) };
    }

    const signal = event.workflowExecutionSignaledEventAttributes;
    if (signal) {
      const [arg] = decodeAll(this.converter, signal.input);
      return { kind: 'signal', text: `${signal.signalName} received${typeof arg === 'string' ? `: ${arg}` : ''}` };
    }
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted) {
      const request = accepted.acceptedRequest;
      const name = request?.input?.name ?? 'update';
      this.updates.set(request?.meta?.updateId ?? '', name);
      const [arg] = decodeAll(this.converter, request?.input?.args);
      return { kind: 'update', text: `${name} accepted${updateArgText(arg)}` };
    }
    const updated = event.workflowExecutionUpdateCompletedEventAttributes;
    if (updated) {
      const name = this.updates.get(updated.meta?.updateId ?? '') ?? 'update';
      const outcome = updated.outcome;
      if (outcome?.failure) return { kind: 'update', text: `${name} failed: ${outcome.failure.message}` };
      const result = decode(this.converter, outcome?.success);
      return { kind: 'update', text: `${name} done${typeof result === 'string' ? `: ${result}` : ''}` };
    }

    const upsert = event.upsertWorkflowSearchAttributesEventAttributes;
    const stagePayload = upsert?.searchAttributes?.indexedFields?.[PurchaseStageKey.name];
    if (stagePayload) {
      const stage = decode<string>(this.converter, { payloads: [stagePayload] });
      // An end is shown once, by the `ended` line with its reason.
      if (!stage || stage === this.lastStage || (PURCHASE_ENDS as readonly string[]).includes(stage)) return null;
      this.lastStage = stage;
      return { kind: 'stage', text: stage };
    }

    if (event.workflowExecutionContinuedAsNewEventAttributes) {
      return { kind: 'continued', text: `continued as new (run ${this.run + 1} carries on the wait)` };
    }
    return this.endText(event);
  }

  private startedText(input: PurchaseInput | undefined): string {
    if (!input) return 'started';
    this.polls = input.carried?.polls ?? 0;
    if (input.carried)
      return `run ${this.run} started, order ${input.carried.order.orderId}, ${input.carried.polls} polls so far`;
    const parts = [`started: ${input.items.length} item${input.items.length === 1 ? '' : 's'}`];
    parts.push(input.contractId ? `contract ${input.contractId}` : 'default contract');
    if (input.budget)
      parts.push(
        `budget ${input.budget.maxTotal}${input.budget.currency ? ` ${input.budget.currency}` : ''} (${input.budget.approval})`,
      );
    if (input.batchId) parts.push(`batch ${input.batchId}`);
    if (input.redriveOf) parts.push(`redrive of ${input.redriveOf}`);
    return parts.join(', ');
  }

  private activityText(name: string, result: unknown): string {
    switch (name) {
      case 'resolveContract': {
        const contract = result as ResolvedContract;
        return `contract ${contract.contractId} looked up (${contract.currency})`;
      }
      case 'priceItems': {
        const quote = result as Quote;
        return `prices looked up: ${quote.total} ${quote.currency} for ${quote.lineItems.length} item${quote.lineItems.length === 1 ? '' : 's'}`;
      }
      case 'createOrderOnce':
        return `order created: ${orderText(result as OrderSummary)}`;
      case 'checkoutOrder': {
        const order = result as OrderSummary;
        return `checkout: ${orderText(order)}${order.paymentMethod ? ` via ${order.paymentMethod}` : ''}`;
      }
      case 'getOrder':
        this.polls += 1;
        return `poll ${this.polls}: ${orderText(result as OrderSummary)}`;
      default:
        return `${name} done`;
    }
  }

  private endText(event: HistoryEvent): Omit<TimelineEntry, 'time' | 'run'> | null {
    const completed = event.workflowExecutionCompletedEventAttributes;
    if (completed) {
      const result = decode<PurchaseResult>(this.converter, completed.result);
      return {
        kind: 'ended',
        text: result ? `${result.end}${result.reason ? `: ${result.reason}` : ''}` : 'completed',
      };
    }
    const failed = event.workflowExecutionFailedEventAttributes;
    if (failed) return { kind: 'ended', text: `workflow failed: ${failed.failure?.message}` };
    const terminated = event.workflowExecutionTerminatedEventAttributes;
    if (terminated) return { kind: 'ended', text: `terminated${terminated.reason ? `: ${terminated.reason}` : ''}` };
    if (event.workflowExecutionTimedOutEventAttributes) return { kind: 'ended', text: 'workflow timed out' };
    if (event.workflowExecutionCanceledEventAttributes) return { kind: 'ended', text: 'workflow cancelled' };
    return null;
  }
}

function orderText(order: OrderSummary): string {
  return `order ${order.orderId} ${order.status}`;
}

function updateArgText(arg: unknown): string {
  if (arg && typeof arg === 'object') {
    const value = arg as { approved?: unknown; note?: unknown; byMs?: unknown };
    if (typeof value.byMs === 'number') return ` (later by ${formatDuration(value.byMs)})`;
    if (typeof value.approved === 'boolean') {
      return ` (${value.approved ? 'approve' : 'deny'}${typeof value.note === 'string' ? `: ${value.note}` : ''})`;
    }
  }
  return '';
}

function decodeAll(converter: PayloadConverter, payloads: Payloads): unknown[] {
  return (payloads?.payloads ?? []).map((payload) => {
    try {
      return converter.fromPayload(payload);
    } catch {
      return undefined; // an encoding this converter does not know: shown as nothing rather than failing the timeline
    }
  });
}

function decode<T = unknown>(converter: PayloadConverter, payloads: Payloads): T | undefined {
  return decodeAll(converter, payloads)[0] as T | undefined;
}

function eventTime(event: HistoryEvent): string {
  const t = event.eventTime;
  return t ? new Date(Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6)).toISOString() : '-';
}
