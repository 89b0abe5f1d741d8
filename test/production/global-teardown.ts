/**
 * Stops the production tier's stack (whichever server process runs it now, then PostgreSQL) and removes its data;
 * fails the run when the server warned of a payload over 512 KB.
 */
import fs from 'node:fs';
import { TemporalOnPostgres } from '../../local/production-stack/temporal-on-postgres';
import { expectNoBlobWarnings } from '../support/blob-warnings';

export default async function globalTeardown(): Promise<void> {
  const dataDir = process.env.DCP_TEST_PRODUCTION_STACK;
  if (!dataDir) return;
  const stack = await TemporalOnPostgres.attach(dataDir);
  await stack.stop();
  try {
    expectNoBlobWarnings(stack.serverLogFile);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
