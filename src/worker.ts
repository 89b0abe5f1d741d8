/**
 * The worker process (`dcp worker`): runs purchase workflows and their DataCosmos activities.
 * Configuration comes from the environment (or the local stack file); see README "Configuration".
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, NativeConnection, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import { createActivities } from './activities';
import { loadSettings, type Settings } from './config';
import { DataCosmosClient, type RequestEvent } from './datacosmos';
import { activityRetryMetrics, datacosmosRequestMetrics } from './metrics';
import { HISTOGRAM_BUCKETS } from './shared/metric-names';
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

export async function createPurchaseWorker(options: PurchaseWorkerOptions): Promise<Worker> {
  const { connection, settings } = options;
  if (!existsSync(WORKFLOW_BUNDLE_PATH)) {
    throw new CliError(`workflow bundle missing at ${WORKFLOW_BUNDLE_PATH}: run \`npm run build\``, ExitCode.FAILURE);
  }
  const meter = Runtime.instance().metricMeter;
  const client =
    options.client ?? createDataCosmosClient(settings, { retry: false, onRequest: datacosmosRequestMetrics(meter) });
  return Worker.create({
    connection,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    ...(options.identity ? { identity: options.identity } : {}),
    workflowBundle: { codePath: WORKFLOW_BUNDLE_PATH },
    activities: createActivities({ client, organisationId: settings.datacosmos.organisationId }),
    maxConcurrentActivityTaskExecutions: settings.worker.maxConcurrentActivities,
    maxActivitiesPerSecond: settings.worker.maxActivitiesPerSecond,
    maxCachedWorkflows: settings.worker.maxCachedWorkflows,
    shutdownGraceTime: '10s',
    interceptors: { activity: [activityRetryMetrics(meter)] },
  });
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
