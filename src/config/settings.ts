/**
 * Settings of the worker and the CLI, from the environment or, when no production setting is present, from the
 * local stack file that `dcp dev` writes (its values stand for the variables it names). Production settings never
 * fall back to the simulator. Every variable is described once, in setting-table.ts.
 */
import path from 'node:path';
import { z } from 'zod';
import { CliError, ExitCode } from '../shared/errors';
import { targetTaskQueue, type DataCosmosTarget } from '../shared/target';
import { SETTINGS, settingsOf, type Setting, type SettingsDraft } from './setting-table';
import type { Settings, TemporalSettings } from './settings-types';
import { readStackFile, type LocalStack } from './stack-file';

export type * from './settings-types';

/**
 * The longest queue name of a target: the server keeps task queue names and workflow ids (a claim registry's id
 * holds the queue name) in 255-character columns on PostgreSQL.
 */
const MAX_TASK_QUEUE_LENGTH = 200;

/** Variables whose presence means "production settings": then the local stack is never used. */
export const PRODUCTION_VARIABLES = SETTINGS.filter((setting) => setting.production).map((s) => s.variable);

/** Every variable the product reads, the worker's and `dcp`'s and the webhook listener's. */
export const SETTINGS_VARIABLES = SETTINGS.filter((setting) => setting.group !== 'local').map((s) => s.variable);

/** Empty strings count as unset, as shells and compose files often pass them. */
function defined(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')) as Record<
    string,
    string
  >;
}

/**
 * What a process needs of the settings. The payment webhook only tells targets apart and signals their purchases:
 * it listens on the internet, so it needs no DataCosmos credentials (the key to the account's credits) nor the key
 * notifications are signed with.
 */
export type SettingsUse = 'all' | 'target';

/** The DataCosmos credentials: required for every use but 'target'. */
const CREDENTIALS: readonly string[] = ['DATACOSMOS_CLIENT_ID', 'DATACOSMOS_CLIENT_SECRET'];

/** One parse of every variable of these settings, so every bad one is named at once. */
function parseVariables(
  settings: readonly Setting[],
  values: Record<string, string>,
  use: SettingsUse,
): Record<string, unknown> {
  const required = (s: Setting) => s.required && (use === 'all' || !CREDENTIALS.includes(s.variable));
  const shape = Object.fromEntries(
    settings.map((s) => [
      s.variable,
      s.default !== undefined
        ? s.schema.default(s.schema.parse(s.default))
        : required(s)
          ? s.schema
          : s.schema.optional(),
    ]),
  );
  const parsed = z.object(shape).safeParse(values);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    issue.path.length === 1 && issue.code === 'invalid_type' && values[String(issue.path[0])] === undefined
      ? `${String(issue.path[0])} is required`
      : `${issue.path.join('.')} ${issue.message}`,
  );
  throw invalidConfiguration(problems);
}

function invalidConfiguration(problems: string[]): CliError {
  return new CliError(`invalid configuration: ${problems.join('; ')}`, ExitCode.USAGE);
}

/**
 * Settings that contradict each other: TLS (an API key or a client certificate over plaintext would be in the clear),
 * and a default notification URL without the key to sign for it.
 */
function tlsProblems(values: Record<string, unknown>, source: Settings['source'], use: SettingsUse): string[] {
  const problems: string[] = [];
  if (values.TEMPORAL_TLS_CERT && !values.TEMPORAL_TLS_KEY)
    problems.push('TEMPORAL_TLS_KEY is required with TEMPORAL_TLS_CERT');
  if (values.TEMPORAL_TLS_KEY && !values.TEMPORAL_TLS_CERT)
    problems.push('TEMPORAL_TLS_CERT is required with TEMPORAL_TLS_KEY');
  const asksForTls = Boolean(values.TEMPORAL_API_KEY || values.TEMPORAL_TLS_CERT || values.TEMPORAL_TLS_CA);
  if (values.TEMPORAL_TLS === 'false' && asksForTls) {
    problems.push('TEMPORAL_TLS cannot be false with TEMPORAL_API_KEY, TEMPORAL_TLS_CERT or TEMPORAL_TLS_CA');
  }
  // Without TLS it would be dropped, and the plaintext connection fail as "cannot reach Temporal" naming nothing.
  if (source === 'environment' && values.TEMPORAL_TLS_SERVER_NAME && !(values.TEMPORAL_TLS === 'true' || asksForTls)) {
    problems.push(
      'TEMPORAL_TLS_SERVER_NAME applies only with TLS: set TEMPORAL_TLS=true (or an API key, certificate or CA)',
    );
  }
  if (use === 'all' && values.NOTIFY_URL && !values.NOTIFY_SECRET) {
    problems.push('NOTIFY_SECRET is required with NOTIFY_URL');
  }
  return problems;
}

/** The values of the variables the local stack file stands for. */
export function stackVariables(stack: LocalStack): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: stack.temporal.address,
    TEMPORAL_NAMESPACE: stack.temporal.namespace,
    DATACOSMOS_API_URL: stack.datacosmos.apiUrl,
    DATACOSMOS_AUTH_URL: stack.datacosmos.authUrl,
    DATACOSMOS_CLIENT_ID: stack.datacosmos.clientId,
    DATACOSMOS_CLIENT_SECRET: stack.datacosmos.clientSecret,
    DATACOSMOS_ORGANISATION_ID: String(stack.datacosmos.organisationId),
  };
}

/** The settings these variable values describe. */
export function settingsFrom(
  values: Record<string, string>,
  source: Settings['source'],
  use: SettingsUse = 'all',
): Settings {
  const product = settingsOf('product');
  const parsed = parseVariables(product, values, use);
  const problems = tlsProblems(parsed, source, use);
  if (problems.length > 0) throw invalidConfiguration(problems);
  const draft: SettingsDraft = { temporal: { tls: {}, tlsOn: false }, datacosmos: { paths: {} }, worker: {} };
  for (const setting of product) {
    const value = parsed[setting.variable];
    if (value !== undefined) setting.apply?.(draft, value as never);
  }
  const { tls, tlsOn, ...temporal } = draft.temporal;
  const settings = {
    source,
    temporal: { ...temporal, ...(tlsOn ? { tls } : {}) },
    datacosmos: draft.datacosmos,
    worker: draft.worker,
  } as Settings;
  settings.temporal.taskQueue = targetQueue(settings.temporal.taskQueueBase, settingsTarget(settings));
  return settings;
}

/** The DataCosmos target these settings order on: their API and organisation. */
export function settingsTarget(settings: Settings): DataCosmosTarget {
  return { apiUrl: settings.datacosmos.apiUrl, organisationId: settings.datacosmos.organisationId };
}

function targetQueue(base: string, target: DataCosmosTarget): TemporalSettings['taskQueue'] {
  const taskQueue = targetTaskQueue(base, target);
  if (taskQueue.length > MAX_TASK_QUEUE_LENGTH) {
    throw invalidConfiguration([
      `the task queue of this target, ${taskQueue}, is longer than ${MAX_TASK_QUEUE_LENGTH} characters: ` +
        'shorten TEMPORAL_TASK_QUEUE or the path of DATACOSMOS_API_URL',
    ]);
  }
  return taskQueue;
}

const DEFAULT_DATA_DIR = SETTINGS.find((setting) => setting.variable === 'DCP_DATA_DIR')?.default as string;

export function dataDir(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return path.resolve(cwd, env.DCP_DATA_DIR || DEFAULT_DATA_DIR);
}

export function loadSettings(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  use: SettingsUse = 'all',
): Settings {
  const vars = defined(env);
  if (PRODUCTION_VARIABLES.some((name) => vars[name] !== undefined)) return settingsFrom(vars, 'environment', use);
  const dir = dataDir(env, cwd);
  const stack = readStackFile(dir);
  if (!stack) {
    throw new CliError(
      `no DataCosmos settings: set DATACOSMOS_CLIENT_ID, DATACOSMOS_CLIENT_SECRET and DATACOSMOS_ORGANISATION_ID, ` +
        `or start the local stack with \`dcp dev\` (no stack file in ${dir})`,
      ExitCode.USAGE,
    );
  }
  const settings = settingsFrom({ ...vars, ...stackVariables(stack) }, 'local-stack');
  return { ...settings, temporal: { ...settings.temporal, uiUrl: stack.temporal.uiUrl } };
}

/** The environment that makes a worker or `dcp` load exactly these settings (for the processes it starts). */
export function settingsEnvironment(settings: Settings): Record<string, string> {
  const env: Record<string, string> = {};
  for (const setting of settingsOf('product')) {
    const value = setting.read?.(settings);
    if (value !== undefined) env[setting.variable] = value;
  }
  return env;
}

export interface WebhookSettings {
  /** Shared with the payment provider; never logged. */
  secret: string;
  /** Events signed longer ago (or later) than this are refused as stale. */
  toleranceS: number;
}

/** Settings of the payment webhook listener (`dcp webhook`), from the environment only. */
export function loadWebhookSettings(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const values = parseVariables(settingsOf('webhook'), defined(env), 'all');
  return { secret: values.DCP_WEBHOOK_SECRET as string, toleranceS: values.DCP_WEBHOOK_TOLERANCE_S as number };
}
