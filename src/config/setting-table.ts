/**
 * Every setting of the product, once: its variable, how its text is read (and checked), its default, what it means,
 * where it goes in the settings and how it is written back. Parsing (settings.ts), the environment of a worker
 * process (settingsEnvironment), the compose env file and the settings table of the README all come from here.
 */
import { accessSync, constants } from 'node:fs';
import { z } from 'zod';
import {
  AUDIENCE,
  PATHS_WITH_ORDER_ID,
  UNCONFIRMED_PATHS,
  UNCONFIRMED_PATH_VARIABLES,
  type UnconfirmedPath,
} from '../datacosmos/api-paths';
import { PRICING_MODES, type PricingMode } from '../datacosmos/options';
import { DEFAULT_CLAIM_CHECK_S } from '../shared/claim-types';
import { TASK_QUEUE } from '../shared/purchase-types';
import type { Settings, TemporalTlsSettings } from './settings-types';

/** Where a setting is read: by the worker and `dcp` (and the webhook listener), by the webhook alone, or the local tools. */
export type SettingGroup = 'product' | 'webhook' | 'local';

/** The settings being built from variables, before the task queue is derived from the target. */
export interface SettingsDraft {
  temporal: Partial<Settings['temporal']> & { tls: TemporalTlsSettings; tlsOn: boolean };
  datacosmos: Partial<Settings['datacosmos']> & { paths: Partial<Record<UnconfirmedPath, string>> };
  worker: Partial<Settings['worker']>;
}

export interface Setting {
  variable: string;
  group: SettingGroup;
  /** Reads the variable's text; a refusal names the variable. */
  schema: z.ZodType;
  /** The default, as the variable would be written; none: unset until given (or required). */
  default?: string;
  /** Needed when the environment alone counts. */
  required?: true;
  /** Set, it means the environment alone counts: the local stack is never used then. */
  production?: true;
  /** A secret: never shown. */
  secret?: true;
  meaning: string;
  apply?(draft: SettingsDraft, value: never): void;
  /** The value in these settings as the variable is written; undefined leaves it unset. */
  read?(settings: Settings): string | undefined;
}

const positiveInt = z
  .string()
  .regex(/^\d+$/, 'must be a positive whole number')
  .transform(Number)
  .refine((n) => n > 0, 'must be a positive whole number');

const requestRate = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a number of requests per second')
  .transform(Number);

/** An http(s) URL as given: a receiver's path may end in a slash that it needs (it may redirect without one). */
const exactHttpUrl = z
  .string()
  .url('must be a URL')
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');
/** A base URL that paths are joined to, without its trailing slashes. */
const httpUrl = exactHttpUrl.transform((u) => u.replace(/\/+$/, ''));

const readableFile = z.string().refine((file) => {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}, 'must be a readable file');

/** A path on the API: starts with `/`, no spaces, no scheme or host; `{order_id}` where the order's id goes. */
const apiPath = (withOrderId: boolean) =>
  z
    .string()
    .regex(/^\/[^\s?#]*$/, 'must be a path such as /api/data/v0/order/orders')
    .refine((p) => !withOrderId || p.includes('{order_id}'), 'must contain {order_id} where the order id goes');

/** Keeps a worker with 2,000 purchases waiting on payment near 400 MB; the others replay when they wake. */
const DEFAULT_MAX_CACHED_WORKFLOWS = '250';

const text = (value: number | undefined) => (value === undefined ? undefined : String(value));

const UNCONFIRMED_PATH_MEANING: Record<UnconfirmedPath, string> = {
  orderGet: 'the order-details path, which the DataCosmos docs do not confirm (`{order_id}` where the id goes)',
  orderCheckout: 'the checkout path, which the DataCosmos docs do not confirm (`{order_id}` where the id goes)',
  orderList: 'the order-list path, which no DataCosmos document shows',
};

/** The meaning of a path's variable, with the path assumed when it is unset. */
const pathMeaning = (path: UnconfirmedPath) =>
  `${UNCONFIRMED_PATH_MEANING[path]}; unset: \`${UNCONFIRMED_PATHS[path]}\``;

export const SETTINGS: readonly Setting[] = [
  {
    variable: 'DATACOSMOS_CLIENT_ID',
    group: 'product',
    schema: z.string().min(1, 'is required'),
    required: true,
    production: true,
    meaning: 'OAuth client id of your organisation’s API client',
    apply: (d, v: string) => (d.datacosmos.clientId = v),
    read: (s) => s.datacosmos.clientId,
  },
  {
    variable: 'DATACOSMOS_CLIENT_SECRET',
    group: 'product',
    schema: z.string().min(1, 'is required'),
    required: true,
    production: true,
    secret: true,
    meaning: 'its secret; it never enters workflow history, logs or errors',
    apply: (d, v: string) => (d.datacosmos.clientSecret = v),
    read: (s) => s.datacosmos.clientSecret,
  },
  {
    variable: 'DATACOSMOS_ORGANISATION_ID',
    group: 'product',
    schema: positiveInt,
    required: true,
    production: true,
    meaning: 'the organisation orders are placed for (the API cannot tell it)',
    apply: (d, v: number) => (d.datacosmos.organisationId = v),
    read: (s) => String(s.datacosmos.organisationId),
  },
  {
    variable: 'DATACOSMOS_API_URL',
    group: 'product',
    schema: httpUrl,
    default: 'https://app.open-cosmos.com',
    production: true,
    meaning: 'API base URL; with the organisation, the DataCosmos target a purchase is ordered on',
    apply: (d, v: string) => (d.datacosmos.apiUrl = v),
    read: (s) => s.datacosmos.apiUrl,
  },
  {
    variable: 'DATACOSMOS_AUTH_URL',
    group: 'product',
    schema: httpUrl,
    default: 'https://login.open-cosmos.com',
    production: true,
    meaning: 'token endpoint base (`/oauth/token` is appended)',
    apply: (d, v: string) => (d.datacosmos.authUrl = v),
    read: (s) => s.datacosmos.authUrl,
  },
  {
    variable: 'DATACOSMOS_AUDIENCE',
    group: 'product',
    schema: z.string().min(1),
    default: AUDIENCE,
    meaning: 'token audience',
    apply: (d, v: string) => (d.datacosmos.audience = v),
    read: (s) => s.datacosmos.audience,
  },
  {
    variable: 'DATACOSMOS_REQUEST_TIMEOUT_MS',
    group: 'product',
    schema: positiveInt,
    default: '30000',
    meaning: 'per HTTP request',
    apply: (d, v: number) => (d.datacosmos.requestTimeoutMs = v),
    read: (s) => String(s.datacosmos.requestTimeoutMs),
  },
  {
    variable: 'DATACOSMOS_MAX_REQUESTS_PER_SECOND',
    group: 'product',
    schema: requestRate,
    default: '20',
    meaning: 'this worker process paces its own API calls (`0` = unpaced)',
    apply: (d, v: number) => (d.datacosmos.maxRequestsPerSecond = v || undefined),
    read: (s) => String(s.datacosmos.maxRequestsPerSecond ?? 0),
  },
  {
    variable: 'DATACOSMOS_FLEET_MAX_REQUESTS_PER_SECOND',
    group: 'product',
    schema: requestRate,
    default: '0',
    meaning:
      'the budget of the whole fleet: DataCosmos activity starts per second across every worker, enforced by ' +
      'Temporal on the DataCosmos task queue (`0` = no fleet limit; see [docs/production.md](docs/production.md)); ' +
      'give every worker the same value',
    apply: (d, v: number) => (d.datacosmos.fleetMaxRequestsPerSecond = v || undefined),
    read: (s) => String(s.datacosmos.fleetMaxRequestsPerSecond ?? 0),
  },
  {
    variable: 'DATACOSMOS_PRICING',
    group: 'product',
    schema: z.enum(PRICING_MODES, {
      error: `must be one of ${PRICING_MODES.join(', ')}`,
    }),
    default: 'auto',
    meaning:
      '`auto`: the v1 batch price, or the documented v0 price when the batch is not served; `v1-batch`; `v0` ' +
      '(see [docs/real-api.md](docs/real-api.md))',
    apply: (d, v: PricingMode) => (d.datacosmos.pricing = v),
    read: (s) => s.datacosmos.pricing,
  },
  ...(Object.entries(UNCONFIRMED_PATH_VARIABLES) as Array<[UnconfirmedPath, string]>).map(
    ([path, variable]): Setting => ({
      variable,
      group: 'product',
      schema: apiPath(PATHS_WITH_ORDER_ID.includes(path)),
      meaning: pathMeaning(path),
      apply: (d, v: string) => (d.datacosmos.paths[path] = v),
      read: (s) => s.datacosmos.paths[path],
    }),
  ),
  {
    variable: 'TEMPORAL_ADDRESS',
    group: 'product',
    schema: z.string().regex(/^[^\s:/]+:\d{1,5}$/, 'must be HOST:PORT'),
    default: '127.0.0.1:7233',
    production: true,
    meaning: 'Temporal frontend (`dcp dev` serves `127.0.0.1:7233`)',
    apply: (d, v: string) => (d.temporal.address = v),
    read: (s) => s.temporal.address,
  },
  {
    variable: 'TEMPORAL_NAMESPACE',
    group: 'product',
    schema: z.string().min(1),
    default: 'default',
    meaning: 'Temporal namespace',
    apply: (d, v: string) => (d.temporal.namespace = v),
    read: (s) => s.temporal.namespace,
  },
  {
    variable: 'TEMPORAL_TASK_QUEUE',
    group: 'product',
    schema: z.string().regex(/^[\w.-]{1,100}$/, 'must be 1 to 100 letters, digits, ".", "_" or "-"'),
    default: TASK_QUEUE,
    meaning:
      'the base name of the task queues: each DataCosmos target’s workflows run on `<this>/<organisation>@<API ' +
      'host>`, its claim registries on `<that>-claims`, its DataCosmos activities on `<that>-datacosmos`',
    apply: (d, v: string) => (d.temporal.taskQueueBase = v),
    read: (s) => s.temporal.taskQueueBase,
  },
  {
    variable: 'TEMPORAL_API_KEY',
    group: 'product',
    schema: z.string().min(1),
    production: true,
    secret: true,
    meaning: 'Temporal Cloud API key (turns TLS on; [docs/production.md](docs/production.md))',
    apply: (d, v: string) => {
      d.temporal.apiKey = v;
      d.temporal.tlsOn = true;
    },
    read: (s) => s.temporal.apiKey,
  },
  {
    variable: 'TEMPORAL_TLS',
    group: 'product',
    schema: z.enum(['true', 'false'], { error: 'must be true or false' }),
    production: true,
    meaning:
      '`true`: TLS to Temporal without a client certificate; on by itself with an API key, a client certificate or a CA',
    apply: (d, v: 'true' | 'false') => (d.temporal.tlsOn ||= v === 'true'),
    read: (s) => (s.temporal.tls ? 'true' : undefined),
  },
  {
    variable: 'TEMPORAL_TLS_CERT',
    group: 'product',
    schema: readableFile,
    production: true,
    meaning: 'client certificate file (mTLS), with `TEMPORAL_TLS_KEY`',
    apply: (d, v: string) => {
      d.temporal.tls.clientCertPath = v;
      d.temporal.tlsOn = true;
    },
    read: (s) => s.temporal.tls?.clientCertPath,
  },
  {
    variable: 'TEMPORAL_TLS_KEY',
    group: 'product',
    schema: readableFile,
    production: true,
    meaning: 'its private key file',
    apply: (d, v: string) => (d.temporal.tls.clientKeyPath = v),
    read: (s) => s.temporal.tls?.clientKeyPath,
  },
  {
    variable: 'TEMPORAL_TLS_CA',
    group: 'product',
    schema: readableFile,
    production: true,
    meaning: 'CA certificate file that signed the server’s certificate',
    apply: (d, v: string) => {
      d.temporal.tls.serverCaPath = v;
      d.temporal.tlsOn = true;
    },
    read: (s) => s.temporal.tls?.serverCaPath,
  },
  {
    variable: 'TEMPORAL_TLS_SERVER_NAME',
    group: 'product',
    schema: z.string().min(1),
    meaning: 'the server name its certificate is checked against, when it differs from the address (with TLS only)',
    apply: (d, v: string) => (d.temporal.tls.serverName = v),
    read: (s) => s.temporal.tls?.serverName,
  },
  {
    variable: 'WORKER_MAX_CONCURRENT_ACTIVITIES',
    group: 'product',
    schema: positiveInt,
    default: '100',
    meaning: 'activity slots per worker and task queue',
    apply: (d, v: number) => (d.worker.maxConcurrentActivities = v),
    read: (s) => String(s.worker.maxConcurrentActivities),
  },
  {
    variable: 'WORKER_MAX_ACTIVITIES_PER_SECOND',
    group: 'product',
    schema: positiveInt,
    default: '40',
    meaning: 'activity starts per second per worker and task queue',
    apply: (d, v: number) => (d.worker.maxActivitiesPerSecond = v),
    read: (s) => String(s.worker.maxActivitiesPerSecond),
  },
  {
    variable: 'WORKER_MAX_CACHED_WORKFLOWS',
    group: 'product',
    schema: positiveInt,
    default: DEFAULT_MAX_CACHED_WORKFLOWS,
    meaning: 'workflows kept in memory between tasks (bounds worker memory; others replay when they wake)',
    apply: (d, v: number) => (d.worker.maxCachedWorkflows = v),
    read: (s) => String(s.worker.maxCachedWorkflows),
  },
  {
    variable: 'WORKER_STICKY_TIMEOUT_MS',
    group: 'product',
    schema: positiveInt,
    default: '10000',
    meaning:
      "how long a workflow's next task waits for the worker that holds it in memory before any worker may take it: " +
      'the delay before the workflows of a killed worker go on elsewhere',
    apply: (d, v: number) => (d.worker.stickyTimeoutMs = v),
    read: (s) => String(s.worker.stickyTimeoutMs),
  },
  {
    variable: 'CLAIM_CHECK_INTERVAL_S',
    group: 'product',
    schema: positiveInt,
    default: String(DEFAULT_CLAIM_CHECK_S),
    meaning: 'how often claim registries check claims whose purchase has ended and orders being watched',
    apply: (d, v: number) => (d.worker.claimCheckEveryMs = v * 1000),
    read: (s) => String(Math.ceil(s.worker.claimCheckEveryMs / 1000)),
  },
  {
    variable: 'WORKER_REPLAY_CHECK',
    group: 'product',
    schema: z.string().regex(/^\d+$/, 'must be a whole number').transform(Number),
    default: '0',
    meaning:
      'before it polls, the worker replays up to this many running executions of each workflow type on its ' +
      'queues against its own code, and refuses to start (exit 10) on one it cannot replay; `0` = off ' +
      '(the image sets 20; [docs/operations.md](docs/operations.md))',
    apply: (d, v: number) => (d.worker.replayCheck = v),
    read: (s) => String(s.worker.replayCheck),
  },
  {
    variable: 'WORKER_DEPLOYMENT_NAME',
    group: 'product',
    schema: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be letters, digits, - or _'),
    default: 'datacosmos-purchase',
    meaning: 'the Temporal Worker Deployment the worker belongs to ([docs/operations.md](docs/operations.md))',
    apply: (d, v: string) => (d.worker.deploymentName = v),
    read: (s) => s.worker.deploymentName,
  },
  {
    variable: 'WORKER_BUILD_ID',
    group: 'product',
    schema: z.string().regex(/^[A-Za-z0-9_.+-]{1,100}$/, 'must be letters, digits, ., +, - or _'),
    meaning:
      "the worker's build in its deployment (default: the package version and the workflow bundle's content " +
      'hash, like `0.2.0+3f9a1c2e4b5d`; set it to a commit to name builds by commit)',
    apply: (d, v: string) => (d.worker.buildId = v),
    read: (s) => s.worker.buildId,
  },
  {
    variable: 'WORKER_VERSIONING',
    group: 'product',
    schema: z.enum(['on', 'off'], { error: 'must be on or off' }),
    default: 'off',
    meaning:
      '`on`: Worker Versioning: tasks go to the deployment’s current build, purchases and batches stay on the ' +
      'build they started on (`dcp deploy`); `off`: the worker only declares its build',
    apply: (d, v: 'on' | 'off') => (d.worker.versioning = v === 'on'),
    read: (s) => (s.worker.versioning ? 'on' : 'off'),
  },
  {
    variable: 'METRICS_PORT',
    group: 'product',
    schema: positiveInt.refine((p) => p < 65536, 'must be a port number'),
    meaning: 'Prometheus metrics of the Temporal SDK on `0.0.0.0:PORT/metrics` (off when unset)',
    apply: (d, v: number) => (d.worker.metricsPort = v),
    read: (s) => text(s.worker.metricsPort),
  },
  {
    variable: 'LOG_LEVEL',
    group: 'product',
    schema: z.enum(['debug', 'info', 'warn', 'error']),
    default: 'info',
    meaning: '`debug`, `info`, `warn`, `error`; logs are JSON lines on stderr with the purchase id and order id',
    apply: (d, v: Settings['worker']['logLevel']) => (d.worker.logLevel = v),
    read: (s) => s.worker.logLevel,
  },
  {
    variable: 'NOTIFY_URL',
    group: 'product',
    schema: exactHttpUrl,
    meaning:
      'where every purchase and batch posts its events besides its own `--notify` URLs (the worker adds it when it ' +
      'sends; needs `NOTIFY_SECRET`; [docs/batches.md](docs/batches.md#notifications))',
    apply: (d, v: string) => (d.worker.notifyUrl = v),
    read: (s) => s.worker.notifyUrl,
  },
  {
    variable: 'NOTIFY_SECRET',
    group: 'product',
    schema: z.string().min(16, 'must be at least 16 characters'),
    secret: true,
    meaning:
      'the key notifications are signed with (HMAC-SHA256, at least 16 characters); only workers read it: it ' +
      'never enters workflow history, logs or errors',
    apply: (d, v: string) => (d.worker.notifySecret = v),
    read: (s) => s.worker.notifySecret,
  },
  {
    variable: 'DELIVER_S3_ENDPOINT',
    group: 'product',
    schema: httpUrl,
    meaning:
      'the S3-compatible store (`http(s)://HOST[:PORT]`, path-style addressing) that `--deliver s3://...` writes to ' +
      'when the purchase names no `--deliver-endpoint`; unset: AWS S3. Credentials and region come from the AWS ' +
      'SDK’s standard chain (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, profiles, roles); only ' +
      'workers read them ([docs/batches.md](docs/batches.md#delivery-to-a-bucket))',
    apply: (d, v: string) => (d.worker.deliverS3Endpoint = v),
    read: (s) => s.worker.deliverS3Endpoint,
  },
  {
    variable: 'DCP_WEBHOOK_SECRET',
    group: 'webhook',
    schema: z.string().min(16, 'must be at least 16 characters'),
    required: true,
    secret: true,
    meaning: 'the payment webhook’s signing secret (at least 16 characters; `dcp webhook` needs it)',
  },
  {
    variable: 'DCP_WEBHOOK_TOLERANCE_S',
    group: 'webhook',
    schema: positiveInt,
    default: '300',
    meaning: 'how far a webhook event’s signed timestamp may be from now, in seconds',
  },
  {
    variable: 'DCP_DATA_DIR',
    group: 'local',
    schema: z.string().min(1),
    default: '.data',
    meaning: 'where `dcp dev` keeps its state and `stack.json`',
  },
  {
    variable: 'TEMPORAL_CLI_PATH',
    group: 'local',
    schema: z.string().min(1),
    meaning: 'a Temporal CLI binary to use ([docs/local-stack.md](docs/local-stack.md))',
  },
];

/** The variables of a group, in table order. */
export function settingsOf(group: SettingGroup): Setting[] {
  return SETTINGS.filter((setting) => setting.group === group);
}
