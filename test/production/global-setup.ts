/**
 * Starts the native production stack the production tier shares, in place of the dev server: PostgreSQL, the
 * schema job, the Temporal server (4 history shards, SQL visibility) and the namespace job, each program found,
 * built or installed by the project's own code. Publishes its address as TEMPORAL_TEST_ADDRESS and its data dir as
 * DCP_TEST_PRODUCTION_STACK, through which test files attach to it (to kill or restart its parts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TemporalOnPostgres } from '../../local/production-stack/temporal-on-postgres';

export default async function globalSetup(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-test-production-'));
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[production setup] ${line}\n`);
  const stack = await TemporalOnPostgres.start({ dataDir, port: 0, postgresPort: 0, metricsPort: 0, log });
  log(`Temporal on PostgreSQL ready at ${stack.address} in ${Math.round((Date.now() - started) / 1000)} s`);
  process.env.TEMPORAL_TEST_ADDRESS = stack.address;
  process.env.DCP_TEST_PRODUCTION_STACK = dataDir;
}
