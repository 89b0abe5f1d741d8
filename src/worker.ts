/**
 * The worker process (`dcp worker`): runs purchase workflows and their DataCosmos activities.
 * Configuration comes from the environment (or the local stack file); see README "Configuration".
 *
 * It polls two task queues: the workflows' own (workflows, deliveries, and the activities of executions
 * from before the DataCosmos queue) and the DataCosmos queue, whose server-side rate limit is the fleet's
 * API budget.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type LogLevel,
  type WorkerOptions,
} from '@temporalio/worker';
import { createActivities } from './activities';
import { activityLogContext } from './activity-log-context';
import { loadSettings, type Settings } from './config';
import { DataCosmosClient, type RequestEvent } from './datacosmos';
import { activityRetryMetrics, datacosmosRequestMetrics } from './metrics';
import { HISTOGRAM_BUCKETS } from './shared/metric-names';
import { datacosmosTaskQueue } from './shared/task-queues';
import { CliError, ExitCode } from './cli/exit-codes';
import { createLogger } from './logger';
import { temporalConnectionOptions } from './temporal-connection';

/** Written by `npm run build` (src/scripts/bundle-workflows.ts). */
export const WORKFLOW_BUNDLE_PATH = path.resolve(__dirname, '..', 'dist', 'workflow-bundle.js');

/**
 * The client of one worker or CLI process. Activities make one attempt per activity attempt (Temporal
 * retries them); the CLI, calling directly, lets the client retry transient failures.
 */
export function createDataCosmosClient(
  settings: Settings,
  options: { retry: boolean; onRequest?: (event: RequestEvent) => void } = { retry: false },
): DataCosmosClient {
  const d = settings.datacosmos;
  return new DataCosmosClient({
    apiUrl: d.apiUrl,
    authUrl: d.authUrl,
    clientId: d.clientId,
    clientSecret: d.clientSecret,
    audience: d.audience,
    requestTimeoutMs: d.requestTimeoutMs,
    maxRequestsPerSecond: d.maxRequestsPerSecond,
    onRequest: options.onRequest,
    ...(options.retry ? {} : { retry: false as const }),
  });
}

export interface PurchaseWorkerOptions {
  connection: NativeConnection;
  settings: Settings;
  client?: DataCosmosClient;
  identity?: string;
}

/** The two Temporal workers of one process, run and stopped together. */
export class PurchaseWorker {
  constructor(
    readonly workflows: Worker,
    readonly datacosmos: Worker,
  ) {}

  /** Runs both until shutdown; when one fails, the other is stopped too and the failure is thrown. */
  async run(): Promise<void> {
    const runs = [this.workflows.run(), this.datacosmos.run()];
    try {
      await Promise.all(runs);
    } catch (err) {
      this.shutdown();
      await Promise.allSettled(runs);
      throw err;
    }
  }

  shutdown(): void {
    for (const worker of [this.workflows, this.datacosmos]) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    }
  }
}

export async function createPurchaseWorker(options: PurchaseWorkerOptions): Promise<PurchaseWorker> {
  const { connection, settings } = options;
  if (!existsSync(WORKFLOW_BUNDLE_PATH)) {
    throw new CliError(`workflow bundle missing at ${WORKFLOW_BUNDLE_PATH}: run \`npm run build\``, ExitCode.FAILURE);
  }
  const meter = Runtime.instance().metricMeter;
  const client =
    options.client ?? createDataCosmosClient(settings, { retry: false, onRequest: datacosmosRequestMetrics(meter) });
  // One set of activities (one client, contract cache and download limit) serves both queues.
  const activities = createActivities({ client, organisationId: settings.datacosmos.organisationId });
  const common: Omit<WorkerOptions, 'taskQueue'> = {
    connection,
    namespace: settings.temporal.namespace,
    ...(options.identity ? { identity: options.identity } : {}),
    activities,
    maxConcurrentActivityTaskExecutions: settings.worker.maxConcurrentActivities,
    maxActivitiesPerSecond: settings.worker.maxActivitiesPerSecond,
    shutdownGraceTime: '10s',
    interceptors: { activity: [activityRetryMetrics(meter), activityLogContext] },
  };
  const fleetRate = settings.datacosmos.fleetMaxRequestsPerSecond;
  const [workflows, datacosmos] = await Promise.all([
    Worker.create({
      ...common,
      taskQueue: settings.temporal.taskQueue,
      workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
      maxCachedWorkflows: settings.worker.maxCachedWorkflows,
    }),
    Worker.create({
      ...common,
      taskQueue: datacosmosTaskQueue(settings.temporal.taskQueue),
      // Every worker of the fleet sends the same rate; the server applies it to the queue as a whole.
      ...(fleetRate ? { maxTaskQueueActivitiesPerSecond: fleetRate } : {}),
    }),
  ]);
  return new PurchaseWorker(workflows, datacosmos);
}

const TEMPORAL_LOG_LEVEL: Record<Settings['worker']['logLevel'], LogLevel> = {
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
};

/** Runs until SIGINT/SIGTERM, then drains in-flight tasks and exits. */
export async function runWorker(settings: Settings): Promise<void> {
  const log = createLogger(settings.worker.logLevel, { component: 'worker' });
  Runtime.install({
    logger: new DefaultLogger(TEMPORAL_LOG_LEVEL[settings.worker.logLevel], (entry) => {
      const { sdkComponent, ...meta } = entry.meta ?? {};
      log[entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'info')](
        { ...meta, sdk: sdkComponent },
        entry.message,
      );
    }),
    telemetryOptions: settings.worker.metricsPort
      ? {
          metrics: {
            prometheus: {
              bindAddress: `0.0.0.0:${settings.worker.metricsPort}`,
              histogramBucketOverrides: HISTOGRAM_BUCKETS,
            },
          },
        }
      : undefined,
  });
  const connection = await NativeConnection.connect(temporalConnectionOptions(settings.temporal)).catch(
    (err: Error) => {
      throw new CliError(`cannot reach Temporal at ${settings.temporal.address}: ${err.message}`, ExitCode.UNAVAILABLE);
    },
  );
  try {
    const worker = await createPurchaseWorker({ connection, settings });
    log.info(
      {
        temporal: settings.temporal.address,
        tls: settings.temporal.tls !== undefined,
        namespace: settings.temporal.namespace,
        taskQueue: settings.temporal.taskQueue,
        datacosmosTaskQueue: datacosmosTaskQueue(settings.temporal.taskQueue),
        fleetMaxRequestsPerSecond: settings.datacosmos.fleetMaxRequestsPerSecond ?? null,
        api: settings.datacosmos.apiUrl,
        organisationId: settings.datacosmos.organisationId,
        source: settings.source,
      },
      'worker started',
    );
    await worker.run();
    log.info('worker stopped');
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  Promise.resolve()
    .then(() => runWorker(loadSettings()))
    .then(
      () => process.exit(ExitCode.OK),
      (err: unknown) => {
        process.stderr.write(`worker: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(err instanceof CliError ? err.exitCode : ExitCode.FAILURE);
      },
    );
}
