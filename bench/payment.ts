/**
 * Card purchases waiting on payment: how fast a payment is seen (by signal, by polling alone), how many
 * polls it takes, and how much memory a worker needs with thousands of purchases waiting.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Client } from '@temporalio/client';
import { startPurchase, type PurchaseHandle } from '../src/workflow-client/purchase-client';
import { paymentCompletedSignal, statusQuery } from '../src/shared/purchase-messages';
import { DEFAULT_POLL, type PollSchedule, type PurchaseInput } from '../src/shared/purchase-types';
import type { ItemSupply } from '../harness/catalog';
import { ACCOUNT, type BenchStack } from './stack';
import { percentile, pool, round } from '../harness/stats';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts card purchases (the caller has set credits to 0) and returns their handles with their order ids. */
async function startWaitingPurchases(
  client: Client,
  supply: ItemSupply,
  taskQueue: string,
  count: number,
  extra: Partial<PurchaseInput>,
): Promise<PurchaseHandle[]> {
  const tag = randomUUID().slice(0, 8);
  const handles: PurchaseHandle[] = new Array(count);
  await pool(count, 50, async (i) => {
    const { handle } = await startPurchase(
      client,
      { taskQueue, organisationId: ACCOUNT.organisationId },
      { purchaseId: `bench-wait-${tag}-${i}`, items: supply.take(1), activityTimeoutMs: 30_000, ...extra },
    );
    handles[i] = handle;
  });
  return handles;
}

async function untilAwaitingPayment(handle: PurchaseHandle): Promise<string> {
  for (;;) {
    const status = await handle.query(statusQuery);
    if (status.stage === 'AWAITING_PAYMENT' && status.polls >= 1) return status.orderId as string;
    if (
      !['VALIDATING', 'RESOLVING_CONTRACT', 'PRICING', 'ORDERING', 'CHECKOUT', 'AWAITING_PAYMENT'].includes(
        status.stage,
      )
    ) {
      throw new Error(`purchase ${handle.workflowId} is ${status.stage}: ${status.lastError}`);
    }
    await sleep(200);
  }
}

export interface DetectionFigures {
  purchases: number;
  p50Ms: number;
  p99Ms: number;
  pollsPerPurchase: number;
}

/**
 * Half the purchases wait with the default poll schedule and are told of their payment by a signal (as a
 * webhook would); the other half wait with `pollingSchedule` and have only polling to see it. Each half runs
 * on its own, so the signal path is measured at the load real waits make, not under a flood of fast polls.
 */
export async function paymentDetection(
  stack: BenchStack,
  supply: ItemSupply,
  taskQueue: string,
  count: number,
  pollingSchedule: PollSchedule,
): Promise<{ signal: DetectionFigures; polling: DetectionFigures; apiCallsPerCardPurchase: number }> {
  await stack.admin.clearStats();
  const half = Math.ceil(count / 2);
  const signal = await payAtRandomMoments(stack, supply, taskQueue, half, DEFAULT_POLL, true);
  const polling = await payAtRandomMoments(stack, supply, taskQueue, count - half, pollingSchedule, false);
  const stats = await stack.admin.stats();
  const apiCalls = Object.entries(stats.endpoints)
    .filter(([name]) => name !== 'token')
    .reduce((sum, [, e]) => sum + e.requests, 0);
  return { signal, polling, apiCallsPerCardPurchase: round(apiCalls / count, 1) };
}

async function payAtRandomMoments(
  stack: BenchStack,
  supply: ItemSupply,
  taskQueue: string,
  count: number,
  poll: PollSchedule,
  signalled: boolean,
): Promise<DetectionFigures> {
  const handles = await startWaitingPurchases(stack.client, supply, stack.queue(taskQueue), count, { poll });
  const orderIds = await Promise.all(handles.map(untilAwaitingPayment));
  const delays: number[] = [];
  const polls: number[] = [];
  await Promise.all(
    handles.map(async (handle, i) => {
      await sleep(Math.random() * 5_000); // paid at a random moment
      await stack.admin.payOrder(orderIds[i]);
      const paidAt = Date.now();
      if (signalled) await handle.signal(paymentCompletedSignal, orderIds[i]);
      const result = await handle.result();
      if (result.end !== 'COMPLETED') throw new Error(`${result.purchaseId} ended ${result.end}`);
      delays.push(Math.max(0, Date.parse(result.endedAt) - paidAt));
      polls.push(result.polls);
    }),
  );
  return {
    purchases: delays.length,
    p50Ms: round(percentile(delays, 50), 0),
    p99Ms: round(percentile(delays, 99), 0),
    pollsPerPurchase: round(polls.reduce((a, b) => a + b, 0) / polls.length, 1),
  };
}

/** Resident memory of a process, MB. */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return round(kb / 1024, 0);
}

/** Resident memory of a worker process that holds `count` purchases waiting on payment. */
export async function waitingWorkerMemory(
  stack: BenchStack,
  supply: ItemSupply,
  taskQueue: string,
  count: number,
): Promise<{ purchases: number; idleRssMb: number; waitingRssMb: number }> {
  const worker = stack.workerProcess(stack.settings(taskQueue));
  try {
    await sleep(3_000);
    const idleRssMb = rssMb(worker.pid as number);
    await startWaitingPurchases(stack.client, supply, stack.queue(taskQueue), count, {
      poll: { firstMs: 600_000, factor: 1, capMs: 600_000 },
    });
    const query = `TaskQueue = "${stack.queue(taskQueue)}" AND PurchaseStage = "AWAITING_PAYMENT"`;
    for (let waited = 0; (await stack.client.workflow.count(query)).count < count; waited += 1) {
      if (waited > 900) throw new Error(`not all ${count} purchases reached AWAITING_PAYMENT`);
      await sleep(1_000);
    }
    await sleep(2_000);
    return { purchases: count, idleRssMb, waitingRssMb: rssMb(worker.pid as number) };
  } finally {
    await stack.stopWorkerProcess(worker);
  }
}
