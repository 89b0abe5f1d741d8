/** What every `dcp` command that talks to Temporal or DataCosmos shares: settings, clients, output. */
import {
  ApplicationFailure,
  Client,
  Connection,
  ServiceError,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { ClaimScope } from '../shared/claim-types';
import { FAILURE } from '../shared/failure-types';
import { loadSettings, type Settings, type SettingsUse } from '../config/settings';
import type { DataCosmosClient } from '../datacosmos';
import { DataCosmosError } from '../datacosmos/errors';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { CliError, ExitCode } from '../shared/errors';
import { isUnreachable } from '../workflow-client/grpc-status';

export interface CommandContext {
  settings: Settings;
  /** What the command acts in: the workers' task queue and the organisation (the claims' and ledgers' scope too). */
  scope: ClaimScope;
  temporal(): Promise<Client>;
  datacosmos(): DataCosmosClient;
  close(): Promise<void>;
}

/**
 * Runs a command body with lazily opened clients, closing them afterwards and mapping known errors. `use` 'target':
 * settings without the DataCosmos credentials, for a command that never calls the API (the payment webhook).
 */
export async function withContext<T>(body: (ctx: CommandContext) => Promise<T>, use: SettingsUse = 'all'): Promise<T> {
  const settings = loadSettings(process.env, process.cwd(), use);
  let connection: Connection | undefined;
  let client: Client | undefined;
  let api: DataCosmosClient | undefined;
  const ctx: CommandContext = {
    settings,
    scope: { taskQueue: settings.temporal.taskQueue, organisationId: settings.datacosmos.organisationId },
    async temporal() {
      if (!client) {
        connection = await Connection.connect({
          ...temporalConnectionOptions(settings.temporal),
          connectTimeout: '5s',
        }).catch((err: Error) => {
          throw new CliError(
            `cannot reach Temporal at ${settings.temporal.address}: ${err.message}`,
            ExitCode.UNAVAILABLE,
          );
        });
        client = new Client({ connection, namespace: settings.temporal.namespace });
      }
      return client;
    },
    datacosmos() {
      // Loaded only by the commands that call DataCosmos; used directly, the client retries transient failures itself.
      const { createDataCosmosClient } =
        require('../config/datacosmos-client') as typeof import('../config/datacosmos-client');
      api ??= createDataCosmosClient(settings, { retry: true });
      return api;
    },
    async close() {
      await connection?.close();
    },
  };
  try {
    return await body(ctx);
  } catch (err) {
    throw asCliError(err);
  } finally {
    await ctx.close();
  }
}

export function asCliError(err: unknown): unknown {
  if (err instanceof CliError) return err;
  // A purchase or batch its own rules refused (the one way bad input ends a workflow): a usage error.
  if (err instanceof WorkflowFailedError && err.cause instanceof ApplicationFailure) {
    if (err.cause.type === FAILURE.invalidInput) return new CliError(err.cause.message, ExitCode.USAGE);
  }
  if (err instanceof WorkflowNotFoundError)
    return new CliError(`no purchase with id ${err.workflowId}`, ExitCode.USAGE);
  // The client wraps what Temporal answered ("Failed to start Workflow"); the answer names the problem. Lost after the
  // connection was made (the client's retries spent), Temporal is a service that cannot be reached, as at connect.
  if (err instanceof ServiceError && err.cause instanceof Error) {
    return new CliError(
      `${err.message}: ${err.cause.message}`,
      isUnreachable(err) ? ExitCode.UNAVAILABLE : ExitCode.FAILURE,
    );
  }
  if (err instanceof DataCosmosError) {
    const code = err.kind === 'network' || err.kind === 'timeout' ? ExitCode.UNAVAILABLE : ExitCode.API_ERROR;
    return new CliError(err.message, code);
  }
  return err;
}
