/** Stops the production tier's stack (whichever server process runs it now, then PostgreSQL) and removes its data. */
import fs from 'node:fs';
import { TemporalOnPostgres } from '../../local/production-stack/temporal-on-postgres';

export default async function globalTeardown(): Promise<void> {
  const dataDir = process.env.DCP_TEST_PRODUCTION_STACK;
  if (!dataDir) return;
  await (await TemporalOnPostgres.attach(dataDir)).stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
