/**
 * A purchase test environment: the real simulator over HTTP, the shared Temporal dev server, and a
 * real worker (in this process, or as a separate `node dist/src/worker.js` process for crash tests) on a
 * task queue of its own, so test files run side by side.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { settingsEnvironment, type Settings } from '../../src/config/settings';
import { simulatorSettings } from '../../harness/simulator-settings';
import { startPurchase, type PurchaseHandle } from '../../src/workflow-client/purchase-client';
import { paymentCompletedSignal, statusQuery } from '../../src/shared/purchase-messages';
import type { PurchaseInput, PurchaseStage, PurchaseStatus } from '../../src/shared/purchase-types';
import { createPurchaseWorker, type PurchaseWorker } from '../../src/runtime/purchase-worker';
import type { BatchResult, ItemReport } from '../../src/shared/batch-types';
import type { CoveragePickRecord, CoveragePlanRecord } from '../../src/shared/coverage-types';
import { readBatchItems, readCoveragePicks } from '../../src/workflow-client/batch-client';
import {
  ACME,
  SimAdmin,
  getToken,
  startInProcess,
  type InProcessSimulator,
  type SeedClient,
} from '../../harness/simulator';
import { Connection } from '@temporalio/client';
import { until } from '../../harness/until';
import { kill9 } from './kill';
import { testTemporalAddress } from './temporal';

let runtimeQuiet = false;
/** The SDK's default logger prints every worker state change; tests want errors only (activity failures the tests provoke on purpose log as warnings). */
function quietRuntime(): void {
  if (runtimeQuiet) return;
  runtimeQuiet = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}

/** Short timings for tests: set by configuration, never by mocking time. */
export const FAST: Pick<PurchaseInput, 'activityTimeoutMs' | 'poll'> = {
  activityTimeoutMs: 5_000,
  poll: { firstMs: 200, factor: 1.5, capMs: 1_000 },
};

/** Where each simulator's catalog was last read, so every environment on it gets items no one bought yet. */
const nextCursor = new Map<string, string | undefined>();
let itemQueue: Promise<unknown> = Promise.resolve();

export class PurchaseEnv {
  /** The base name of this environment's queues; its workers poll the simulator target's queues under it. */
  readonly queueBase = `test-${randomUUID()}`;
  private workers: Array<{ worker: PurchaseWorker; running: Promise<void>; connection: NativeConnection }> = [];
  private readonly workerProcesses = new Set<ChildProcess>();

  private constructor(
    readonly sim: InProcessSimulator | { url: string; admin: SimAdmin },
    readonly client: Client,
    readonly account: SeedClient,
    readonly temporalAddress: string,
    private readonly ownsSimulator: boolean,
  ) {}

  static async start(
    options: {
      account?: SeedClient;
      sim?: { url: string; admin: SimAdmin };
      worker?: boolean;
      temporalAddress?: string;
    } = {},
  ): Promise<PurchaseEnv> {
    quietRuntime();
    const sim = options.sim ?? (await startInProcess());
    const address = options.temporalAddress ?? testTemporalAddress();
    const client = new Client({ connection: await Connection.connect({ address }), namespace: 'default' });
    const env = new PurchaseEnv(sim, client, options.account ?? ACME, address, options.sim === undefined);
    if (options.worker !== false) await env.startWorker();
    return env;
  }

  get admin(): SimAdmin {
    return this.sim.admin;
  }

  get settings(): Settings {
    return simulatorSettings({
      simulatorUrl: this.sim.url,
      temporalAddress: this.temporalAddress,
      taskQueue: this.queueBase,
      account: {
        clientId: this.account.clientId,
        clientSecret: this.account.clientSecret,
        organisationId: this.account.organisation,
      },
      // Claim registries look at claims left behind every second, not every ten minutes; the workflows of a killed
      // worker go on elsewhere after 2 s, not 10.
      worker: { claimCheckEveryMs: 1_000, stickyTimeoutMs: 2_000 },
    });
  }

  /** The workflows' queue of this environment's target. */
  get taskQueue(): string {
    return this.settings.temporal.taskQueue;
  }

  /**
   * A worker in this process; `datacosmos` overrides its API settings (pace, fleet budget), `worker` its worker
   * settings (a notification URL and secret).
   */
  async startWorker(
    options: {
      datacosmos?: Partial<Settings['datacosmos']>;
      worker?: Partial<Settings['worker']>;
      identity?: string;
    } = {},
  ): Promise<void> {
    const connection = await NativeConnection.connect({ address: this.temporalAddress });
    const base = this.settings;
    const settings = {
      ...base,
      datacosmos: { ...base.datacosmos, ...options.datacosmos },
      worker: { ...base.worker, ...options.worker },
    };
    const worker = await createPurchaseWorker({ connection, settings, identity: options.identity });
    this.workers.push({ worker, running: worker.run(), connection });
  }

  /**
   * The worker as its own process, configured through the environment like production (and `extraEnv`); kill it at
   * will. One still running when the environment closes is killed then.
   */
  spawnWorkerProcess(extraEnv: Record<string, string> = {}): ChildProcess {
    const worker = spawn(process.execPath, [path.resolve(__dirname, '../../dist/src/worker.js')], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH, ...settingsEnvironment(this.settings), LOG_LEVEL: 'warn', ...extraEnv },
    });
    this.workerProcesses.add(worker);
    worker.once('exit', () => this.workerProcesses.delete(worker));
    return worker;
  }

  /** Mid-run: once the organisation has `orders` orders, every worker process dies (SIGKILL) and a new one starts. */
  async killWorkersAfterOrders(orders: number): Promise<void> {
    await until(
      `${orders} orders`,
      () => this.admin.orders(this.account.organisation),
      (list) => list.length >= orders,
      180_000,
    );
    await Promise.all([...this.workerProcesses].map(kill9));
    this.spawnWorkerProcess();
  }

  /** Starts a purchase of these items with short test timings; the purchase id is unique unless given. */
  async buy(input: Partial<PurchaseInput> & Pick<PurchaseInput, 'items'>): Promise<PurchaseHandle> {
    const full: PurchaseInput = { purchaseId: `p-${randomUUID()}`, ...FAST, ...input };
    const { handle } = await startPurchase(
      this.client,
      { taskQueue: this.taskQueue, organisationId: this.account.organisation },
      full,
    );
    return handle;
  }

  /**
   * Pays the order in the simulator and signals the purchase. With fast polls, a poll in flight may see the
   * payment first and end the purchase before the signal arrives: then there is nothing left to tell.
   */
  async payAndSignal(handle: PurchaseHandle, orderId: string): Promise<void> {
    await this.admin.payOrder(orderId);
    await handle.signal(paymentCompletedSignal).catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
  }

  async status(handle: PurchaseHandle): Promise<PurchaseStatus> {
    return handle.query(statusQuery);
  }

  /** Polls the status query until the stage is reached (or fails with the stage it was last in). */
  waitForStage(
    handle: PurchaseHandle,
    stage: PurchaseStage,
    also: (status: PurchaseStatus) => boolean = () => true,
    timeoutMs = 30_000,
  ): Promise<PurchaseStatus> {
    return until(
      `purchase ${handle.workflowId} to reach ${stage}`,
      () => handle.query(statusQuery),
      (status) => status.stage === stage && also(status),
      timeoutMs,
    );
  }

  /** Catalog items to buy, distinct per call (so tests never collide on the same items). */
  items(
    count: number,
    collection = 'menut-l1c-cogs',
  ): Promise<Array<{ collection: string; item: string; level: string }>> {
    // Serialised: concurrent callers must not read the same cursor and get the same items.
    const next = itemQueue.then(() => this.nextItems(count, collection));
    itemQueue = next.catch(() => undefined);
    return next;
  }

  private async nextItems(
    count: number,
    collection: string,
  ): Promise<Array<{ collection: string; item: string; level: string }>> {
    const response = await fetch(`${this.sim.url}/api/data/v0/stac/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.token()}` },
      body: JSON.stringify({
        collections: [collection],
        limit: count,
        cursor: nextCursor.get(`${this.sim.url} ${collection}`),
      }),
    });
    const page = (await response.json()) as {
      features: Array<{ id: string; collection: string; properties: Record<string, string> }>;
      links: Array<{ rel: string; body?: { cursor?: string } }>;
    };
    nextCursor.set(`${this.sim.url} ${collection}`, page.links.find((l) => l.rel === 'next')?.body?.cursor);
    return page.features.map((f) => ({
      collection: f.collection,
      item: f.id,
      level: f.properties['processing:level'],
    }));
  }

  /** Every row of a batch's report, read back from its stored pages. */
  batchItems(result: Pick<BatchResult, 'rowPages' | 'rows'>): Promise<ItemReport[]> {
    return readBatchItems(this.client, result);
  }

  /** The picks of a coverage batch's plan, read back from their stored pages. */
  coveragePicks(plan: CoveragePlanRecord): Promise<CoveragePickRecord[]> {
    return readCoveragePicks(this.client, plan);
  }

  token(): Promise<string> {
    return getToken(this.sim.url, this.account);
  }

  async stopWorkers(): Promise<void> {
    for (const { worker, running, connection } of this.workers) {
      worker.shutdown();
      await running;
      await connection.close();
    }
    this.workers = [];
  }

  async close(): Promise<void> {
    await Promise.all([...this.workerProcesses].map(kill9));
    await this.stopWorkers();
    await this.client.connection.close();
    if (this.ownsSimulator) await (this.sim as InProcessSimulator).close();
  }
}

/** One environment for the whole test file: started before its tests, closed after them. */
export function onePurchaseEnvPerFile(
  use: (env: PurchaseEnv) => unknown,
  options?: Parameters<typeof PurchaseEnv.start>[0],
): void {
  let env: PurchaseEnv | undefined;
  beforeAll(async () => {
    env = await PurchaseEnv.start(options);
    await use(env);
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });
}

/** One environment for the whole test file with its worker as a process of its own (to kill at will). */
export function withWorkerProcess(use: (env: PurchaseEnv) => void): void {
  onePurchaseEnvPerFile(
    (env) => {
      use(env);
      env.spawnWorkerProcess();
    },
    { worker: false },
  );
}
