/**
 * Stops the shared Temporal dev server of test/global-setup.ts and removes its database; fails the run when the
 * server warned of a payload over 512 KB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expectNoBlobWarnings } from './support/blob-warnings';
import { SHARED_TEST_SERVER, SharedTestServer } from './support/temporal';

export default async function globalTeardown(): Promise<void> {
  const shared = (globalThis as SharedTestServer)[SHARED_TEST_SERVER];
  if (!shared) return;
  await shared.server.stop();
  try {
    expectNoBlobWarnings(path.join(shared.dir, 'temporal.log'));
  } finally {
    fs.rmSync(shared.dir, { recursive: true, force: true });
  }
}
