/**
 * Settings of the worker and the CLI, from the environment or, when no production setting is present,
 * from the local stack file that `dcp dev` writes. Production settings never fall back to the simulator.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CliError, ExitCode } from '../shared/errors';
import { readStackFile } from './stack-file';
import { UNCONFIRMED_PATH_VARIABLES, PATHS_WITH_ORDER_ID, type UnconfirmedPath } from '../datacosmos/api-paths';
import { AUDIENCE } from '../datacosmos/api-schemas';
import { PRICING_MODES, type PricingMode } from '../datacosmos/options';
import { TASK_QUEUE } from '../shared/purchase-types';
import { targetTaskQueue, type DataCosmosTarget } from '../shared/target';

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
  metricsPort?: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** How often the claim registries this worker starts check held and watched claims. */
  claimCheckEveryMs: number;
}

export interface Settings {
  source: 'environment' | 'local-stack';
  temporal: TemporalSettings;
  datacosmos: DataCosmosSettings;
  worker: WorkerSettings;
}

/** Variables whose presence means "production settings": then the local stack is never used. */
const PRODUCTION_VARIABLES = [
  'DATACOSMOS_CLIENT_ID',
  'DATACOSMOS_CLIENT_SECRET',
  'DATACOSMOS_ORGANISATION_ID',
  'DATACOSMOS_API_URL',
  'DATACOSMOS_AUTH_URL',
  'TEMPORAL_ADDRESS',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
  'TEMPORAL_TLS_CA',
] as const;

const positiveInt = (what: string) =>
  z
    .string()
    .regex(/^\d+$/, `${what} must be a positive whole number`)
    .transform(Number)
    .refine((n) => n > 0, `${what} must be a positive whole number`);

/** Keeps a worker with 2,000 purchases waiting on payment near 400 MB; the others replay when they wake. */
const DEFAULT_MAX_CACHED_WORKFLOWS = 250;

const requestRate = (zero: string) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, `must be a number of requests per second (${zero})`)
    .transform(Number);

const httpUrl = z
  .string()
  .url('must be a URL')
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
  .transform((u) => u.replace(/\/+$/, ''));

const hostPort = z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be HOST:PORT');

/** The target is appended after a `/`, so the base itself is a plain name. */
const taskQueueBase = z.string().regex(/^[\w.-]{1,100}$/, 'must be 1 to 100 letters, digits, ".", "_" or "-"');

/**
 * The longest queue name of a target: the server keeps task queue names and workflow ids (a claim registry's id
 * holds the queue name) in 255-character columns on PostgreSQL.
 */
const MAX_TASK_QUEUE_LENGTH = 200;

const readableFile = z.string().refine((file) => {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}, 'must be a readable file');

const TemporalTlsSchema = z
  .object({
    TEMPORAL_API_KEY: z.string().optional(),
    TEMPORAL_TLS: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
    TEMPORAL_TLS_CERT: readableFile.optional(),
    TEMPORAL_TLS_KEY: readableFile.optional(),
    TEMPORAL_TLS_CA: readableFile.optional(),
    TEMPORAL_TLS_SERVER_NAME: z.string().optional(),
  })
  .superRefine((e, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (e.TEMPORAL_TLS_CERT && !e.TEMPORAL_TLS_KEY) problem('TEMPORAL_TLS_KEY', 'is required with TEMPORAL_TLS_CERT');
    if (e.TEMPORAL_TLS_KEY && !e.TEMPORAL_TLS_CERT) problem('TEMPORAL_TLS_CERT', 'is required with TEMPORAL_TLS_KEY');
    // An API key or a client certificate over plaintext would be sent in the clear.
    if (e.TEMPORAL_TLS === 'false' && (e.TEMPORAL_API_KEY || e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_CA))
      problem('TEMPORAL_TLS', 'cannot be false with TEMPORAL_API_KEY, TEMPORAL_TLS_CERT or TEMPORAL_TLS_CA');
  });

const EnvironmentSchema = z.object({
  TEMPORAL_ADDRESS: hostPort.default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  DATACOSMOS_API_URL: httpUrl.default('https://app.open-cosmos.com'),
  DATACOSMOS_AUTH_URL: httpUrl.default('https://login.open-cosmos.com'),
  DATACOSMOS_AUDIENCE: z.string().min(1).default(AUDIENCE),
  DATACOSMOS_CLIENT_ID: z.string({ error: 'is required' }).min(1, 'is required'),
  DATACOSMOS_CLIENT_SECRET: z.string({ error: 'is required' }).min(1, 'is required'),
  DATACOSMOS_ORGANISATION_ID: positiveInt('the organisation id'),
});

/** A path on the API: starts with `/`, no spaces, no scheme or host; `{order_id}` where the order's id goes. */
const apiPath = (withOrderId: boolean) =>
  z
    .string()
    .regex(/^\/[^\s?#]*$/, 'must be a path such as /api/data/v0/order/orders')
    .refine((p) => !withOrderId || p.includes('{order_id}'), 'must contain {order_id} where the order id goes');

const pathVariables = Object.fromEntries(
  (Object.entries(UNCONFIRMED_PATH_VARIABLES) as Array<[UnconfirmedPath, string]>).map(([path, variable]) => [
    variable,
    apiPath(PATHS_WITH_ORDER_ID.includes(path)).optional(),
  ]),
);

/** How the client speaks to the API: which price endpoint, and where the unconfirmed paths are. */
const ApiShapeSchema = z.object({
  DATACOSMOS_PRICING: z
    .enum(PRICING_MODES as [PricingMode, ...PricingMode[]], { error: `must be one of ${PRICING_MODES.join(', ')}` })
    .default('auto'),
  ...pathVariables,
});

function apiShape(e: z.infer<typeof ApiShapeSchema>): Pick<DataCosmosSettings, 'pricing' | 'paths'> {
  const values = e as Record<string, string | undefined>;
  const paths = Object.fromEntries(
    (Object.entries(UNCONFIRMED_PATH_VARIABLES) as Array<[UnconfirmedPath, string]>)
      .filter(([, variable]) => values[variable] !== undefined)
      .map(([path, variable]) => [path, values[variable] as string]),
  );
  return { pricing: e.DATACOSMOS_PRICING, paths };
}

const WorkerEnvironmentSchema = z
  .object({
    DATACOSMOS_REQUEST_TIMEOUT_MS: positiveInt('the timeout').default(30_000),
    DATACOSMOS_MAX_REQUESTS_PER_SECOND: requestRate('0 = unpaced').default(20),
    DATACOSMOS_FLEET_MAX_REQUESTS_PER_SECOND: requestRate('0 = no fleet limit').default(0),
    WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt('the concurrency').default(100),
    WORKER_MAX_ACTIVITIES_PER_SECOND: positiveInt('the rate').default(40),
    WORKER_MAX_CACHED_WORKFLOWS: positiveInt('the cache size').default(DEFAULT_MAX_CACHED_WORKFLOWS),
    METRICS_PORT: positiveInt('the port')
      .refine((p) => p < 65536, 'must be a port number')
      .optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    CLAIM_CHECK_INTERVAL_S: positiveInt('the interval in seconds').default(600),
    TEMPORAL_TASK_QUEUE: taskQueueBase.default(TASK_QUEUE),
  })
  .extend(ApiShapeSchema.shape);

/** Empty strings count as unset, as shells and compose files often pass them. */
function defined(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
}

function parseOrThrow<T extends z.ZodType>(schema: T, env: Record<string, string>): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  throw new CliError(`invalid configuration: ${problems.join('; ')}`, ExitCode.USAGE);
}

/** TLS is on with any TLS file or an API key, or when forced with TEMPORAL_TLS=true. */
function temporalSecurity(e: z.infer<typeof TemporalTlsSchema>): Pick<TemporalSettings, 'tls' | 'apiKey'> {
  const on = e.TEMPORAL_TLS === 'true' || Boolean(e.TEMPORAL_API_KEY || e.TEMPORAL_TLS_CERT || e.TEMPORAL_TLS_CA);
  const tls: TemporalTlsSettings = {
    clientCertPath: e.TEMPORAL_TLS_CERT,
    clientKeyPath: e.TEMPORAL_TLS_KEY,
    serverCaPath: e.TEMPORAL_TLS_CA,
    serverName: e.TEMPORAL_TLS_SERVER_NAME,
  };
  return {
    ...(on ? { tls: Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined)) } : {}),
    ...(e.TEMPORAL_API_KEY ? { apiKey: e.TEMPORAL_API_KEY } : {}),
  };
}

/** The DataCosmos target these settings order on: their API and organisation. */
export function settingsTarget(settings: Settings): DataCosmosTarget {
  return { apiUrl: settings.datacosmos.apiUrl, organisationId: settings.datacosmos.organisationId };
}

/** The base queue name and the queue of the target it serves. */
function queues(
  base: string,
  apiUrl: string,
  organisationId: number,
): Pick<TemporalSettings, 'taskQueueBase' | 'taskQueue'> {
  const taskQueue = targetTaskQueue(base, { apiUrl, organisationId });
  if (taskQueue.length > MAX_TASK_QUEUE_LENGTH) {
    throw new CliError(
      `invalid configuration: the task queue of this target, ${taskQueue}, is longer than ${MAX_TASK_QUEUE_LENGTH} ` +
        'characters: shorten TEMPORAL_TASK_QUEUE or the path of DATACOSMOS_API_URL',
      ExitCode.USAGE,
    );
  }
  return { taskQueueBase: base, taskQueue };
}

export function dataDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, env.DCP_DATA_DIR || '.data');
}

export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Settings {
  const vars = defined(env);
  const production = PRODUCTION_VARIABLES.some((name) => vars[name] !== undefined);
  // One parse of every variable that applies, so every bad one is named at once.
  const worker = production
    ? parseOrThrow(EnvironmentSchema.extend(WorkerEnvironmentSchema.shape).and(TemporalTlsSchema), vars)
    : parseOrThrow(WorkerEnvironmentSchema, vars);
  const workerSettings: WorkerSettings = {
    maxConcurrentActivities: worker.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxActivitiesPerSecond: worker.WORKER_MAX_ACTIVITIES_PER_SECOND,
    maxCachedWorkflows: worker.WORKER_MAX_CACHED_WORKFLOWS,
    metricsPort: worker.METRICS_PORT,
    logLevel: worker.LOG_LEVEL,
    claimCheckEveryMs: worker.CLAIM_CHECK_INTERVAL_S * 1000,
  };
  if (production) {
    const e = worker as z.infer<typeof EnvironmentSchema> & z.infer<typeof TemporalTlsSchema> & typeof worker;
    return {
      source: 'environment',
      temporal: {
        address: e.TEMPORAL_ADDRESS,
        namespace: e.TEMPORAL_NAMESPACE,
        ...queues(worker.TEMPORAL_TASK_QUEUE, e.DATACOSMOS_API_URL, e.DATACOSMOS_ORGANISATION_ID),
        ...temporalSecurity(e),
      },
      datacosmos: {
        apiUrl: e.DATACOSMOS_API_URL,
        authUrl: e.DATACOSMOS_AUTH_URL,
        clientId: e.DATACOSMOS_CLIENT_ID,
        clientSecret: e.DATACOSMOS_CLIENT_SECRET,
        audience: e.DATACOSMOS_AUDIENCE,
        organisationId: e.DATACOSMOS_ORGANISATION_ID,
        requestTimeoutMs: worker.DATACOSMOS_REQUEST_TIMEOUT_MS,
        maxRequestsPerSecond: worker.DATACOSMOS_MAX_REQUESTS_PER_SECOND || undefined,
        fleetMaxRequestsPerSecond: worker.DATACOSMOS_FLEET_MAX_REQUESTS_PER_SECOND || undefined,
        ...apiShape(worker),
      },
      worker: workerSettings,
    };
  }
  const dir = dataDir(env, cwd);
  const stack = readStackFile(dir);
  if (!stack) {
    throw new CliError(
      `no DataCosmos settings: set DATACOSMOS_CLIENT_ID, DATACOSMOS_CLIENT_SECRET and DATACOSMOS_ORGANISATION_ID, ` +
        `or start the local stack with \`dcp dev\` (no stack file in ${dir})`,
      ExitCode.USAGE,
    );
  }
  return {
    source: 'local-stack',
    temporal: {
      address: stack.temporal.address,
      namespace: stack.temporal.namespace,
      ...queues(worker.TEMPORAL_TASK_QUEUE, stack.datacosmos.apiUrl, stack.datacosmos.organisationId),
      uiUrl: stack.temporal.uiUrl,
    },
    datacosmos: {
      ...stack.datacosmos,
      audience: AUDIENCE,
      requestTimeoutMs: worker.DATACOSMOS_REQUEST_TIMEOUT_MS,
      maxRequestsPerSecond: worker.DATACOSMOS_MAX_REQUESTS_PER_SECOND || undefined,
      fleetMaxRequestsPerSecond: worker.DATACOSMOS_FLEET_MAX_REQUESTS_PER_SECOND || undefined,
      ...apiShape(worker),
    },
    worker: workerSettings,
  };
}

export interface SimulatorAccount {
  clientId: string;
  clientSecret: string;
  organisationId: number;
}

/** Settings of a worker against a simulator (tests, benchmarks): the production shape with local values. */
export function simulatorSettings(options: {
  simulatorUrl: string;
  temporalAddress: string;
  /** The base name: the settings' queue is this simulator's target queue under it. */
  taskQueue: string;
  account: SimulatorAccount;
  requestTimeoutMs?: number;
  maxRequestsPerSecond?: number;
  fleetMaxRequestsPerSecond?: number;
  worker?: Partial<WorkerSettings>;
}): Settings {
  return {
    source: 'environment',
    temporal: {
      address: options.temporalAddress,
      namespace: 'default',
      ...queues(options.taskQueue, options.simulatorUrl, options.account.organisationId),
    },
    datacosmos: {
      apiUrl: options.simulatorUrl,
      authUrl: options.simulatorUrl,
      ...options.account,
      audience: AUDIENCE,
      requestTimeoutMs: options.requestTimeoutMs ?? 3_000,
      maxRequestsPerSecond: options.maxRequestsPerSecond,
      fleetMaxRequestsPerSecond: options.fleetMaxRequestsPerSecond,
      pricing: 'auto',
      paths: {},
    },
    worker: {
      maxConcurrentActivities: 50,
      maxActivitiesPerSecond: 1000,
      maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS,
      logLevel: 'warn',
      claimCheckEveryMs: 600_000,
      ...options.worker,
    },
  };
}

/** The environment that makes a worker or `dcp` load exactly these settings (for the processes tests and benchmarks start). */
export function settingsEnvironment(settings: Settings): Record<string, string> {
  const d = settings.datacosmos;
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: settings.temporal.address,
    TEMPORAL_NAMESPACE: settings.temporal.namespace,
    TEMPORAL_TASK_QUEUE: settings.temporal.taskQueueBase,
    DATACOSMOS_API_URL: d.apiUrl,
    DATACOSMOS_AUTH_URL: d.authUrl,
    DATACOSMOS_AUDIENCE: d.audience,
    DATACOSMOS_CLIENT_ID: d.clientId,
    DATACOSMOS_CLIENT_SECRET: d.clientSecret,
    DATACOSMOS_ORGANISATION_ID: String(d.organisationId),
    DATACOSMOS_REQUEST_TIMEOUT_MS: String(d.requestTimeoutMs),
    DATACOSMOS_MAX_REQUESTS_PER_SECOND: String(d.maxRequestsPerSecond ?? 0),
    DATACOSMOS_FLEET_MAX_REQUESTS_PER_SECOND: String(d.fleetMaxRequestsPerSecond ?? 0),
    DATACOSMOS_PRICING: d.pricing,
    WORKER_MAX_CONCURRENT_ACTIVITIES: String(settings.worker.maxConcurrentActivities),
    WORKER_MAX_ACTIVITIES_PER_SECOND: String(settings.worker.maxActivitiesPerSecond),
    WORKER_MAX_CACHED_WORKFLOWS: String(settings.worker.maxCachedWorkflows),
    LOG_LEVEL: settings.worker.logLevel,
    CLAIM_CHECK_INTERVAL_S: String(Math.ceil(settings.worker.claimCheckEveryMs / 1000)),
  };
  for (const [path, value] of Object.entries(d.paths) as Array<[UnconfirmedPath, string]>) {
    env[UNCONFIRMED_PATH_VARIABLES[path]] = value;
  }
  if (settings.worker.metricsPort) env.METRICS_PORT = String(settings.worker.metricsPort);
  const { tls, apiKey } = settings.temporal;
  if (tls) env.TEMPORAL_TLS = 'true';
  if (tls?.clientCertPath) env.TEMPORAL_TLS_CERT = tls.clientCertPath;
  if (tls?.clientKeyPath) env.TEMPORAL_TLS_KEY = tls.clientKeyPath;
  if (tls?.serverCaPath) env.TEMPORAL_TLS_CA = tls.serverCaPath;
  if (tls?.serverName) env.TEMPORAL_TLS_SERVER_NAME = tls.serverName;
  if (apiKey) env.TEMPORAL_API_KEY = apiKey;
  return env;
}

export interface WebhookSettings {
  /** Shared with the payment provider; never logged. */
  secret: string;
  /** Events signed longer ago (or later) than this are refused as stale. */
  toleranceS: number;
}

const WebhookEnvironmentSchema = z.object({
  DCP_WEBHOOK_SECRET: z.string({ error: 'is required' }).min(16, 'must be at least 16 characters'),
  DCP_WEBHOOK_TOLERANCE_S: positiveInt('the tolerance').default(300),
});

/** Settings of the payment webhook listener (`dcp webhook`), from the environment only. */
export function loadWebhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const e = parseOrThrow(WebhookEnvironmentSchema, defined(env));
  return { secret: e.DCP_WEBHOOK_SECRET, toleranceS: e.DCP_WEBHOOK_TOLERANCE_S };
}

/** Every variable the settings above read, for the worker, `dcp` and the webhook (docker-compose.yml's env file). */
export const SETTINGS_VARIABLES: readonly string[] = [
  EnvironmentSchema,
  TemporalTlsSchema,
  WorkerEnvironmentSchema,
  WebhookEnvironmentSchema,
].flatMap((schema) => Object.keys(schema.shape));
