/** What every `dcp` command that talks to Temporal or DataCosmos shares: settings, clients, output. */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { InvalidArgumentError } from 'commander';
import { loadSettings, type Settings } from '../config/settings';
import { DataCosmosError, type DataCosmosClient } from '../datacosmos';
import { temporalConnectionOptions } from '../config/temporal-connection';
import { createDataCosmosClient } from '../config/datacosmos-client';
import { CliError, ExitCode } from '../shared/errors';

export interface CommandContext {
  settings: Settings;
  temporal(): Promise<Client>;
  datacosmos(): DataCosmosClient;
  close(): Promise<void>;
}

/** Runs a command body with lazily opened clients, closing them afterwards and mapping known errors. */
export async function withContext<T>(body: (ctx: CommandContext) => Promise<T>): Promise<T> {
  const settings = loadSettings();
  let connection: Connection | undefined;
  let client: Client | undefined;
  let api: DataCosmosClient | undefined;
  const ctx: CommandContext = {
    settings,
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
      // Used directly by the CLI, so the client retries transient failures itself.
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
  if (err instanceof WorkflowNotFoundError)
    return new CliError(`no purchase with id ${err.workflowId}`, ExitCode.USAGE);
  if (err instanceof DataCosmosError) {
    const code = err.kind === 'network' || err.kind === 'timeout' ? ExitCode.UNAVAILABLE : ExitCode.API_ERROR;
    return new CliError(err.message, code);
  }
  return err;
}

/** Commander argument parser that turns a thrown RangeError into a usage error naming the option. */
export function parser<T>(parse: (text: string) => T): (text: string) => T {
  return (text: string) => {
    try {
      return parse(text);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A plain aligned text table. */
export function formatTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}
