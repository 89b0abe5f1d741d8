/** The shape of the settings of the worker, `dcp` and the webhook listener (read by settings.ts from setting-table.ts). */
import type { UnconfirmedPath } from '../datacosmos/api-paths';
import type { PricingMode } from '../datacosmos/options';

/** TLS to the Temporal frontend (Temporal Cloud, or a self-hosted server with TLS): file paths, read at connect time. */
export interface TemporalTlsSettings {
  clientCertPath?: string;
  clientKeyPath?: string;
  serverCaPath?: string;
  serverName?: string;
}

export interface TemporalSettings {
  address: string;
  namespace: string;
  /** TEMPORAL_TASK_QUEUE: the base name of this deployment's task queues. */
  taskQueueBase: string;
  /** The workflows' queue of this DataCosmos target (`<base>/<organisation>@<API host>`): only its workers poll it. */
  taskQueue: string;
  uiUrl?: string;
  /** Absent: plaintext (the local stack, a private network). */
  tls?: TemporalTlsSettings;
  /** Temporal Cloud API key; never logged. */
  apiKey?: string;
}

export interface DataCosmosSettings {
  apiUrl: string;
  authUrl: string;
  clientId: string;
  clientSecret: string;
  audience: string;
  organisationId: number;
  requestTimeoutMs: number;
  /** Client-side pace of this process, all endpoints together; undefined = unpaced. */
  maxRequestsPerSecond?: number;
  /**
   * The fleet's budget: DataCosmos activity starts per second across every worker, enforced by the
   * Temporal server on the DataCosmos task queue; undefined = no fleet limit.
   */
  fleetMaxRequestsPerSecond?: number;
  /** Which price endpoint (DATACOSMOS_PRICING). */
  pricing: PricingMode;
  /** Replacements of the paths the docs do not confirm (DATACOSMOS_ORDER_*_PATH). */
  paths: Partial<Record<UnconfirmedPath, string>>;
}

export interface WorkerSettings {
  maxConcurrentActivities: number;
  maxActivitiesPerSecond: number;
  /** Workflows kept in memory between tasks; the rest are replayed when they next wake. */
  maxCachedWorkflows: number;
  /** How long a workflow task waits on the sticky queue of the worker that cached the workflow. */
  stickyTimeoutMs: number;
  metricsPort?: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** How often the claim registries this worker starts check held and watched claims. */
  claimCheckEveryMs: number;
  /** Executions of each workflow type replayed against this worker's code before it polls; 0: none. */
  replayCheck: number;
  /** The Worker Deployment this worker belongs to, and its build there (default: version + workflow bundle hash). */
  deploymentName: string;
  buildId?: string;
  /** Whether the server routes tasks by deployment version (Worker Versioning), or the worker only declares it. */
  versioning: boolean;
  /** NOTIFY_URL: the default receiver of every purchase's and batch's events. */
  notifyUrl?: string;
  /** NOTIFY_SECRET: the key notifications are signed with; never logged. */
  notifySecret?: string;
  /** DELIVER_S3_ENDPOINT: the S3-compatible store bucket deliveries use when the purchase names none. */
  deliverS3Endpoint?: string;
}

export interface Settings {
  source: 'environment' | 'local-stack';
  temporal: TemporalSettings;
  datacosmos: DataCosmosSettings;
  worker: WorkerSettings;
}
