/**
 * The replay check (WORKER_REPLAY_CHECK): before it polls, a worker replays the running executions on its queues
 * against its own code. A history its code cannot replay stops it with exit 10 naming the execution;
 * histories it can replay let it start.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { settingsEnvironment } from '../src/config/settings';
import { paymentCompletedSignal } from '../src/shared/purchase-messages';
import { onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';
import { runWorkerProcess } from './support/worker-process';
import { until } from '../harness/until';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));

/** The worker process with the replay check on. */
function startChecked(perType: number) {
  return runWorkerProcess({
    ...settingsEnvironment(env.settings),
    WORKER_REPLAY_CHECK: String(perType),
    LOG_LEVEL: 'info',
  });
}

test('a worker refuses to start on a running execution its code cannot replay, and starts once it can', async () => {
  // A history the product's code wrote: a purchase waiting for card payment (and its claim registry).
  await env.admin.setCredits(env.account.organisation, '0');
  const waiting = await env.buy({ items: await env.items(1), paymentWindowMs: 600_000 });
  const { orderId } = await env.waitForStage(waiting, 'AWAITING_PAYMENT');
  await env.stopWorkers();

  // Another build's purchase, running on this target's queue, parked after a timer.
  const connection = await NativeConnection.connect({ address: env.temporalAddress });
  const other = await Worker.create({
    connection,
    taskQueue: env.taskQueue,
    workflowsPath: require.resolve('./fixtures/other-code/workflows'),
    identity: 'another build',
  });
  const foreign = await other.runUntil(async () => {
    const handle = await env.client.workflow.start('purchaseWorkflow', {
      taskQueue: env.taskQueue,
      workflowId: `other-build-${env.queueBase}`,
      args: [],
    });
    await until(
      'the other build to fire its timer',
      async () => (await handle.fetchHistory()).events ?? [],
      (events) => events.some((e) => e.timerFiredEventAttributes),
    );
    return handle;
  });
  await connection.close();

  const refused = startChecked(5);
  expect(await refused.exited).toBe(10);
  const line = refused.stderr().trim().split('\n').pop() as string;
  expect(line).toMatch(
    new RegExp(
      `^worker: replay check: this worker's code cannot replay purchaseWorkflow ${foreign.workflowId} \\(run `,
    ),
  );
  expect(line).toContain('WORKER_REPLAY_CHECK=0');

  // Once the other build's execution is gone, what is left replays and the worker polls.
  await foreign.terminate('left by another build');
  await until(
    'the terminated execution to leave the running list',
    async () => {
      const running: string[] = [];
      const query = `TaskQueue = '${env.taskQueue}' AND ExecutionStatus = 'Running'`;
      for await (const execution of env.client.workflow.list({ query })) running.push(execution.workflowId);
      return running;
    },
    (running) => !running.includes(foreign.workflowId),
  );
  const started = startChecked(1);
  try {
    await until(
      'the worker to pass the replay check',
      async () => started.stderr(),
      (s) => s.includes('replay check passed'),
    );
    const passed = JSON.parse(
      started
        .stderr()
        .split('\n')
        .find((l) => l.includes('replay check passed')) as string,
    );
    expect(passed.replayed).toMatchObject({ purchaseWorkflow: 1, claimRegistryWorkflow: 1 });
    // The purchase that waited through the restart finishes on the checked worker.
    await env.admin.payOrder(orderId as string);
    await waiting.signal(paymentCompletedSignal);
    expect((await waiting.result()).end).toBe('COMPLETED');
  } finally {
    await started.stop();
  }
}, 120_000);
