/**
 * The settings a deployment gets from deploy/temporal/: the dynamic config holds only keys this server version
 * knows, with valid values, and none the server documents as unfit for production; the running server has the
 * shard count and the PostgreSQL persistence and visibility the config template gives it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DEPLOY_TEMPORAL_DIR } from '../../local/production-stack/deploy-scripts';
import { PRODUCTION_HISTORY_SHARDS } from '../../local/ports';
import { resolveTemporalServerPrograms } from '../../local/temporal-server-programs';
import { TEMPORAL_SERVER_VERSION } from '../../local/temporal-server-releases';
import { testTemporalAddress } from '../support/temporal';

const DYNAMIC_CONFIG = path.join(DEPLOY_TEMPORAL_DIR, 'dynamicconfig', 'production-sql.yaml');

test('the dynamic config validates against the server and sets only the reviewed keys', async () => {
  const { server } = await resolveTemporalServerPrograms();
  const check = spawnSync(server, ['validate-dynamic-config', DYNAMIC_CONFIG], { encoding: 'utf8' });
  expect(check.status).toBe(0);
  expect(`${check.stdout}${check.stderr}`.trim()).toBe(DYNAMIC_CONFIG); // the file name, and no warning under it
  const keys = fs.readFileSync(DYNAMIC_CONFIG, 'utf8').match(/^[\w.]+(?=:)/gm);
  expect(keys).toEqual([
    'limit.maxIDLength',
    'matching.numTaskqueueReadPartitions',
    'matching.numTaskqueueWritePartitions',
  ]);
});

test('the server runs the tested version with its shards, persistence and visibility on PostgreSQL', async () => {
  const connection = await Connection.connect({ address: testTemporalAddress() });
  try {
    const info = await connection.workflowService.getClusterInfo({});
    expect(info).toMatchObject({
      serverVersion: TEMPORAL_SERVER_VERSION.replace(/^v/, ''),
      historyShardCount: PRODUCTION_HISTORY_SHARDS,
      persistenceStore: 'postgres12',
      visibilityStore: 'postgres12',
    });
  } finally {
    await connection.close();
  }
});
