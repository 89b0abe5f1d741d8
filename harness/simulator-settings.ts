/**
 * Settings of a worker against a simulator, for tests and benchmarks: the production shape with local values, made
 * from the same variables a real deployment sets (so they go through the product's own parsing).
 */
import { settingsFrom, type Settings, type WorkerSettings } from '../src/config/settings';

export interface SimulatorAccount {
  clientId: string;
  clientSecret: string;
  organisationId: number;
}

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
  const settings = settingsFrom(
    {
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_TASK_QUEUE: options.taskQueue,
      DATACOSMOS_API_URL: options.simulatorUrl,
      DATACOSMOS_AUTH_URL: options.simulatorUrl,
      DATACOSMOS_CLIENT_ID: options.account.clientId,
      DATACOSMOS_CLIENT_SECRET: options.account.clientSecret,
      DATACOSMOS_ORGANISATION_ID: String(options.account.organisationId),
      DATACOSMOS_REQUEST_TIMEOUT_MS: String(options.requestTimeoutMs ?? 3_000),
      DATACOSMOS_MAX_REQUESTS_PER_SECOND: String(options.maxRequestsPerSecond ?? 0),
      DATACOSMOS_FLEET_MAX_REQUESTS_PER_SECOND: String(options.fleetMaxRequestsPerSecond ?? 0),
      WORKER_MAX_CONCURRENT_ACTIVITIES: '50',
      WORKER_MAX_ACTIVITIES_PER_SECOND: '1000',
      LOG_LEVEL: 'warn',
    },
    'environment',
  );
  return { ...settings, worker: { ...settings.worker, ...options.worker } };
}
