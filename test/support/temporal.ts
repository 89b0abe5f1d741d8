/** Temporal for tests: the shared dev server that jest's globalSetup starts, and private ones for crash tests. */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { resolveTemporalCli } from '../../local/temporal-cli';
import { startTemporalDevServer, TemporalDevServer } from '../../local/temporal-server';

/** host:port of the shared test server (test/global-setup.ts). */
export function testTemporalAddress(): string {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  if (!address)
    throw new Error('TEMPORAL_TEST_ADDRESS is not set: run the tests with jest, whose globalSetup starts Temporal');
  return address;
}

/** A client of the shared test server, namespace default; close it with `client.connection.close()`. */
export async function connectTestClient(): Promise<Client> {
  const connection = await Connection.connect({ address: testTemporalAddress() });
  return new Client({ connection, namespace: 'default' });
}

/**
 * A dev server of one's own on a free port, keeping its state in `dbFile` (its output goes to
 * `<dbFile>.log`): for tests that kill and restart Temporal on the same database.
 */
export async function startOwnDevServer(dbFile: string, port?: number): Promise<TemporalDevServer> {
  const cliPath = process.env.TEMPORAL_TEST_CLI_PATH || (await resolveTemporalCli());
  return startTemporalDevServer({
    cliPath,
    port,
    headless: true,
    dbFilename: dbFile,
    logFile: `${path.resolve(dbFile)}.log`,
  });
}

/** A crash of one's own dev server (SIGKILL), and its restart on the same port and database. */
export async function crashAndRestart(server: TemporalDevServer, dbFile: string): Promise<TemporalDevServer> {
  server.kill();
  await server.exited;
  return startOwnDevServer(dbFile, server.port);
}

/** How globalSetup hands the shared server to globalTeardown (they run in the same process). */
export const SHARED_TEST_SERVER = Symbol.for('datacosmos-purchase.shared-test-temporal');

export type SharedTestServer = typeof globalThis & {
  [SHARED_TEST_SERVER]?: { server: TemporalDevServer; dir: string };
};
