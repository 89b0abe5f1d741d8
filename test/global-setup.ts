/**
 * Starts the one Temporal dev server the whole test run shares (headless, free port, temp database)
 * and publishes its address as TEMPORAL_TEST_ADDRESS, which test workers and the programs they spawn inherit.
 * Node's compile cache is handed down the same way (NODE_COMPILE_CACHE): the workflow threads of the workers that
 * test files start load the SDK and the workflow bundle from it, as a worker process's threads do.
 */
import '../src/runtime/compile-cache';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveTemporalCli } from '../local/temporal-cli';
import { startTemporalDevServer } from '../local/temporal-server';
import { SHARED_TEST_SERVER, SharedTestServer } from './support/temporal';

export default async function globalSetup(): Promise<void> {
  const cliPath = await resolveTemporalCli({ log: (line) => process.stderr.write(`[test setup] ${line}\n`) });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-test-temporal-'));
  const server = await startTemporalDevServer({
    cliPath,
    headless: true,
    dbFilename: path.join(dir, 'temporal.db'),
    logFile: path.join(dir, 'temporal.log'),
  });
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  process.env.TEMPORAL_TEST_CLI_PATH = cliPath;
  (globalThis as SharedTestServer)[SHARED_TEST_SERVER] = { server, dir };
}
