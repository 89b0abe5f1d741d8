/** Stops the shared Temporal dev server of test/global-setup.ts and removes its database. */
import fs from 'node:fs';
import { SHARED_TEST_SERVER, SharedTestServer } from './support/temporal';

export default async function globalTeardown(): Promise<void> {
  const shared = (globalThis as SharedTestServer)[SHARED_TEST_SERVER];
  if (!shared) return;
  await shared.server.stop();
  fs.rmSync(shared.dir, { recursive: true, force: true });
}
