/**
 * What a claim costs, and the two designs weighed for it, side by side on the same server: the claim registry
 * (one workflow per organisation shard, claims and settlements as updates) and one claim workflow per item
 * (claims by workflow-id uniqueness, settled by signal). Each claims `count` distinct items, `concurrency` at a
 * time, then settles them; reported: claims per second, claim latency, and history events per claimed item.
 */
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { claimItemsUpdate, settleClaimsUpdate } from '../src/shared/claim-messages';
import { byShard, CLAIM_SHARDS, registryId, type ClaimScope } from '../src/shared/claim-types';
import { claimsTaskQueue } from '../src/shared/task-queues';
import { startPurchase } from '../src/workflow-client/purchase-client';
import type { ItemSupply } from '../harness/catalog';
import { settleItemClaimSignal } from './claim-prototype/workflows';
import { ACCOUNT } from './stack';
import type { BenchStack } from './stack';
import { percentile, pool, round } from '../harness/stats';

export interface ClaimDesignFigures {
  claims: number;
  claimsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** History events of the design's workflows per item claimed and settled. */
  eventsPerClaim: number;
  /** Workflow executions created per item claimed. */
  executionsPerClaim: number;
}

async function historyLength(stack: BenchStack, workflowId: string): Promise<number> {
  try {
    return (await stack.client.workflow.getHandle(workflowId).describe()).historyLength;
  } catch {
    return 0;
  }
}

/** The registry as purchases use it: update-with-start per shard, then a settle signal per shard. */
export async function registryClaims(
  stack: BenchStack,
  taskQueue: string,
  count: number,
  concurrency: number,
): Promise<ClaimDesignFigures> {
  const scope: ClaimScope = {
    taskQueue: stack.queue(taskQueue),
    organisationId: 9000 + Math.floor(Math.random() * 999),
  };
  const tag = randomUUID().slice(0, 8);
  const item = (i: number) => `bench-claims/${tag}-${i}`;
  const started = performance.now();
  const durations = await pool(count, concurrency, async (i) => {
    const [[shard, items]] = [...byShard([item(i)])];
    const grants = await stack.client.workflow.executeUpdateWithStart(claimItemsUpdate, {
      args: [{ ...scope, holder: `holder-${tag}-${i}`, items }],
      startWorkflowOperation: new WithStartWorkflowOperation('claimRegistryWorkflow', {
        workflowId: registryId(scope, shard),
        taskQueue: claimsTaskQueue(scope.taskQueue),
        args: [{ ...scope, shard }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
    if (!grants[0].granted) throw new Error(`claim of ${item(i)} refused`);
  });
  const elapsedMs = performance.now() - started;
  await pool(count, concurrency, async (i) => {
    const [[shard, items]] = [...byShard([item(i)])];
    await stack.client.workflow.getHandle(registryId(scope, shard)).executeUpdate(settleClaimsUpdate, {
      args: [{ holder: `holder-${tag}-${i}`, items, settlement: { outcome: 'RELEASED' } }],
    });
  });
  const shards = Array.from({ length: CLAIM_SHARDS }, (_, shard) => registryId(scope, shard));
  const events = (await Promise.all(shards.map((id) => historyLength(stack, id)))).reduce((a, b) => a + b, 0);
  return summary(durations, elapsedMs, events, CLAIM_SHARDS);
}

/** One workflow per item: the claim is the workflow id, refused by the server while one runs. */
export async function perItemWorkflowClaims(
  stack: BenchStack,
  count: number,
  concurrency: number,
): Promise<ClaimDesignFigures> {
  const taskQueue = `bench-item-claims-${randomUUID().slice(0, 8)}`;
  const connection = await NativeConnection.connect({ address: stack.engine.address });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowsPath: require.resolve('./claim-prototype/workflows'),
  });
  const running = worker.run();
  try {
    const id = (i: number) => `item-claim/${taskQueue}/${i}`;
    const started = performance.now();
    const durations = await pool(count, concurrency, async (i) => {
      await stack.client.workflow.start('itemClaimWorkflow', {
        workflowId: id(i),
        taskQueue,
        args: [`holder-${i}`],
        workflowIdConflictPolicy: 'FAIL',
      });
    });
    const elapsedMs = performance.now() - started;
    await pool(count, concurrency, async (i) => {
      const handle = stack.client.workflow.getHandle(id(i));
      await handle.signal(settleItemClaimSignal, 'RELEASED');
      await handle.result();
    });
    const events = (await Promise.all(Array.from({ length: count }, (_, i) => historyLength(stack, id(i))))).reduce(
      (a, b) => a + b,
      0,
    );
    return summary(durations, elapsedMs, events, count);
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
  }
}

function summary(durations: number[], elapsedMs: number, events: number, executions: number): ClaimDesignFigures {
  return {
    claims: durations.length,
    claimsPerSecond: round(durations.length / (elapsedMs / 1000), 1),
    p50Ms: round(percentile(durations, 50), 0),
    p99Ms: round(percentile(durations, 99), 0),
    eventsPerClaim: round(events / durations.length, 1),
    executionsPerClaim: round(executions / durations.length, 3),
  };
}

/** The local activities a purchase ran (from their markers): type, and when each completed (epoch ms). */
function localActivities(
  events: Array<{ markerRecordedEventAttributes?: unknown }>,
): Array<{ type: string; at: number }> {
  return events.flatMap((e) => {
    const marker = e.markerRecordedEventAttributes as {
      details?: Record<string, { payloads?: Array<{ data?: Uint8Array }> }>;
    };
    const data = marker?.details?.data?.payloads?.[0]?.data;
    if (!data) return [];
    const meta = JSON.parse(Buffer.from(data).toString()) as {
      activity_type: string;
      complete_time: { seconds: number; nanos: number };
    };
    return [{ type: meta.activity_type, at: meta.complete_time.seconds * 1000 + meta.complete_time.nanos / 1e6 }];
  });
}

/**
 * What the claim adds to a credits purchase, over `count` purchases one at a time: events in the purchase's own
 * history (the claim's local-activity marker, and the settle signal sent to the registry) and the claim step's
 * time (from the contract look-up's completion to the claim's).
 */
export async function claimCostPerPurchase(
  stack: BenchStack,
  supply: ItemSupply,
  taskQueue: string,
  count = 20,
): Promise<{ purchases: number; purchaseEvents: number; claimP50Ms: number; claimP99Ms: number }> {
  const stepMs: number[] = [];
  let purchaseEvents = 0;
  for (let i = 0; i < count; i++) {
    const { handle } = await startPurchase(
      stack.client,
      { taskQueue: stack.queue(taskQueue), organisationId: ACCOUNT.organisationId },
      { purchaseId: `bench-claim-cost-${randomUUID()}`, items: supply.take(1) },
    );
    await handle.result();
    const events = (await handle.fetchHistory()).events ?? [];
    const steps = localActivities(events);
    const contract = steps.find((step) => step.type === 'resolveContract');
    const claim = steps.find((step) => step.type === 'claimItems');
    if (!contract || !claim) throw new Error(`purchase ${handle.workflowId} has no contract or claim step`);
    stepMs.push(claim.at - contract.at);
    purchaseEvents = steps.filter((step) => step.type === 'claimItems' || step.type === 'settleClaims').length;
  }
  return {
    purchases: count,
    purchaseEvents,
    claimP50Ms: round(percentile(stepMs, 50), 0),
    claimP99Ms: round(percentile(stepMs, 99), 0),
  };
}
