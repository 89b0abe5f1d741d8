/**
 * The worker runtime: the three Temporal workers of one process (the workflows' queue, the claim registries'
 * queue, and the DataCosmos queue whose server-side rate limit is the fleet's API budget), logging and metrics
 * around them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type LogLevel,
  type WorkerDeploymentOptions,
  type WorkerOptions,
} from '@temporalio/worker';
import { createActivities } from '../activities';
import { createDataCosmosClient } from '../config/datacosmos-client';
import { distPath, packageVersion } from '../config/package-root';
import { settingsTarget, type Settings } from '../config/settings';
import { temporalConnectionOptions } from '../config/temporal-connection';
import type { DataCosmosClient } from '../datacosmos';
import { CliError, ExitCode } from '../shared/errors';
import { HISTOGRAM_BUCKETS } from '../shared/metric-names';
import { targetName } from '../shared/target';
import { claimsTaskQueue, datacosmosTaskQueue } from '../shared/task-queues';
import { activityLogContext } from './activity-log-context';
import { createLogger, withReadableErrors } from './logger';
import { activityRetryMetrics, datacosmosRequestMetrics } from './metrics';
import { checkReplay } from './replay-check';

/** Written by `npm run build` (src/runtime/bundle-workflows.ts). */
export const WORKFLOW_BUNDLE_PATH = distPath('workflow-bundle.js');

/** The built workflow bundle, which the workers and the replay check run; a clear error when it was not built. */
function builtWorkflowBundle(): { codePath: string } {
  if (!existsSync(WORKFLOW_BUNDLE_PATH)) {
    throw new CliError(`workflow bundle missing at ${WORKFLOW_BUNDLE_PATH}: run \`npm run build\``, ExitCode.FAILURE);
  }
  return { codePath: WORKFLOW_BUNDLE_PATH };
}

/**
 * The build a worker declares in its deployment: WORKER_BUILD_ID, or the package version and the first 12 hex digits
 * of the workflow bundle's SHA-256 (the same workflow code is the same build, whatever else changed).
 */
export function workerBuildId(settings: Settings): string {
  if (settings.worker.buildId) return settings.worker.buildId;
  const hash = createHash('sha256').update(readFileSync(builtWorkflowBundle().codePath)).digest('hex');
  return `${packageVersion()}+${hash.slice(0, 12)}`;
}

/**
 * With WORKER_VERSIONING=on the worker joins its deployment with its build, and the server routes by them (each
 * workflow type's versioning behaviour is set beside it: purchases and batches PINNED, registries and ledgers
 * AUTO_UPGRADE). Off, the worker only logs its build: a worker with a deployment version is given the behaviours,
 * which the server accepts from versioned workers only.
 */
export function deploymentOptions(settings: Settings): WorkerDeploymentOptions | undefined {
  if (!settings.worker.versioning) return undefined;
  const version = { deploymentName: settings.worker.deploymentName, buildId: workerBuildId(settings) };
  return { version, useWorkerVersioning: true, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}

export interface PurchaseWorkerOptions {
  connection: NativeConnection;
  settings: Settings;
  client?: DataCosmosClient;
  identity?: string;
}

/** The workers of one process: purchase and batch workflows, claim registries, and DataCosmos activities. */
export class PurchaseWorker {
  constructor(private readonly workers: Worker[]) {}

  /** Runs them all until shutdown; when one fails, the others are stopped too and the failure is thrown. */
  async run(): Promise<void> {
    const runs = this.workers.map((worker) => worker.run());
    try {
      await Promise.all(runs);
    } catch (err) {
      this.shutdown();
      await Promise.allSettled(runs);
      throw err;
    }
  }

  shutdown(): void {
    for (const worker of this.workers) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    }
  }
}

export async function createPurchaseWorker(options: PurchaseWorkerOptions): Promise<PurchaseWorker> {
  const { connection, settings } = options;
  const workflowBundle = builtWorkflowBundle();
  const meter = Runtime.instance().metricMeter;
  const client =
    options.client ??
    createDataCosmosClient(settings, {
      retry: false,
      onRequest: datacosmosRequestMetrics(meter),
      onPricingFallback: (reason) => Runtime.instance().logger.warn(reason, { component: 'datacosmos' }),
    });
  // One set of activities (one client, contract cache and download limit) serves every queue.
  const activities = createActivities({
    client,
    organisationId: settings.datacosmos.organisationId,
    claimCheckEveryMs: settings.worker.claimCheckEveryMs,
    fleetBudget: settings.datacosmos.fleetMaxRequestsPerSecond !== undefined,
    notify: { defaultUrl: settings.worker.notifyUrl, secret: settings.worker.notifySecret },
    s3Endpoint: settings.worker.deliverS3Endpoint,
  });
  const common: Omit<WorkerOptions, 'taskQueue'> = {
    connection,
    namespace: settings.temporal.namespace,
    identity: options.identity ?? workerIdentity(),
    activities,
    maxConcurrentActivityTaskExecutions: settings.worker.maxConcurrentActivities,
    maxActivitiesPerSecond: settings.worker.maxActivitiesPerSecond,
    shutdownGraceTime: '10s',
    stickyQueueScheduleToStartTimeout: settings.worker.stickyTimeoutMs,
    workerDeploymentOptions: deploymentOptions(settings),
    interceptors: { activity: [activityRetryMetrics(meter), activityLogContext] },
  };
  const fleetRate = settings.datacosmos.fleetMaxRequestsPerSecond;
  const workers = await Promise.all([
    Worker.create({
      ...common,
      taskQueue: settings.temporal.taskQueue,
      workflowBundle,
      maxCachedWorkflows: settings.worker.maxCachedWorkflows,
    }),
    Worker.create({
      ...common,
      taskQueue: claimsTaskQueue(settings.temporal.taskQueue),
      workflowBundle,
      maxCachedWorkflows: CLAIM_REGISTRY_CACHE,
    }),
    Worker.create({
      ...common,
      taskQueue: datacosmosTaskQueue(settings.temporal.taskQueue),
      // Every worker of the fleet sends the same rate; the server applies it to the queue as a whole.
      ...(fleetRate ? { maxTaskQueueActivitiesPerSecond: fleetRate } : {}),
    }),
  ]);
  return new PurchaseWorker(workers);
}

/**
 * With Worker Versioning, a build that is not its deployment's current one gets only the executions pinned to it:
 * said once, shortly after the workers first poll (the deployment knows a build from its polls).
 */
async function noteIfNotCurrent(
  connection: NativeConnection,
  version: { namespace: string; deploymentName: string; buildId: string },
  warn: (text: string) => void,
): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 5_000).unref());
  const { namespace, deploymentName, buildId } = version;
  const info = await connection.workflowService
    .describeWorkerDeployment({ namespace, deploymentName })
    .then((reply) => reply.workerDeploymentInfo)
    .catch(() => null);
  const current = info?.routingConfig?.currentDeploymentVersion?.buildId;
  if (info && current !== buildId) {
    warn(
      `build ${buildId} is not the current build of deployment ${deploymentName} (current: ${current ?? 'none'}): ` +
        `it runs only what is pinned to it; \`dcp deploy set-current ${buildId}\` sends new purchases to it`,
    );
  }
}

/** `pid@host datacosmos-purchase/VERSION`: what `dcp doctor` and `temporal task-queue describe` show of a poller. */
export function workerIdentity(): string {
  return `${process.pid}@${os.hostname()} datacosmos-purchase/${packageVersion()}`;
}

/** Workflows the claims worker keeps cached: the 64 registries of an organisation, for several organisations. */
const CLAIM_REGISTRY_CACHE = 256;

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
        {
          ...withReadableErrors(meta, [settings.datacosmos.clientSecret, settings.worker.notifySecret ?? '']),
          sdk: sdkComponent,
        },
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
    if (settings.worker.replayCheck > 0) {
      const { replayed } = await checkReplay({
        connection,
        namespace: settings.temporal.namespace,
        taskQueue: settings.temporal.taskQueue,
        perType: settings.worker.replayCheck,
        workflowBundle: builtWorkflowBundle(),
      });
      log.info({ replayed }, 'replay check passed');
    }
    const worker = await createPurchaseWorker({ connection, settings });
    const buildId = workerBuildId(settings);
    log.info(
      {
        deployment: settings.worker.deploymentName,
        buildId,
        versioning: settings.worker.versioning,
        temporal: settings.temporal.address,
        tls: settings.temporal.tls !== undefined,
        namespace: settings.temporal.namespace,
        taskQueue: settings.temporal.taskQueue,
        datacosmosTaskQueue: datacosmosTaskQueue(settings.temporal.taskQueue),
        claimsTaskQueue: claimsTaskQueue(settings.temporal.taskQueue),
        fleetMaxRequestsPerSecond: settings.datacosmos.fleetMaxRequestsPerSecond ?? null,
        target: targetName(settingsTarget(settings)),
        api: settings.datacosmos.apiUrl,
        organisationId: settings.datacosmos.organisationId,
        source: settings.source,
      },
      'worker started',
    );
    const running = worker.run();
    if (settings.worker.versioning) {
      const version = {
        namespace: settings.temporal.namespace,
        deploymentName: settings.worker.deploymentName,
        buildId,
      };
      void noteIfNotCurrent(connection, version, (text) => log.warn(text));
    }
    await running;
    log.info('worker stopped');
  } finally {
    await connection.close();
  }
}
