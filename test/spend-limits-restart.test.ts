/**
 * A spend limit holds through a Temporal server kill: three batches started at the same instant, each with a budget
 * far over the limit, while the worker and the Temporal server (restarted on its database file) are killed in the
 * middle, commit at most the limit, to the cent, and stop only when what is left cannot buy what they skipped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TemporalDevServer } from '../local/temporal-server';
import { add } from '../src/shared/money';
import { until } from '../harness/until';
import { runBatch, searchWithPrices } from './support/batch-env';
import { kill9 } from './support/kill';
import { PurchaseEnv } from './support/purchase-env';
import { dcpOk, expectLimitHeld } from './support/spend-limits';
import { crashAndRestart, startOwnDevServer } from './support/temporal';

test('three batches at the same instant through a worker and a Temporal server kill: never more than the limit', async () => {
  const dbFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-limits-temporal-')), 'temporal.db');
  let server: TemporalDevServer = await startOwnDevServer(dbFile);
  const env = await PurchaseEnv.start({ worker: false, temporalAddress: server.address });
  let worker = env.spawnWorkerProcess();
  try {
    await env.admin.setCredits(1001, '100000000');
    const menut = await searchWithPrices(env, { collections: ['menut-l1c-cogs'] }, 30);
    const limit = add(...menut.slice(0, 18).map((i) => i.price)); // about 60 % of what is asked
    await dcpOk(env, ['limits', 'set', '--period', 'total', '--amount', limit, '--currency', 'EUR']);
    const slices = [0, 1, 2].map((k) =>
      menut.slice(k * 10, k * 10 + 10).map(({ collection, item }) => ({ collection, item })),
    );
    const handles = await Promise.all(
      slices.map((items) => runBatch(env, { items, budget: '100000000', concurrency: 4 })),
    );

    await until(
      'some orders',
      () => env.admin.orders(1001),
      (orders) => orders.length >= 3,
      180_000,
    );
    await kill9(worker);
    server = await crashAndRestart(server, dbFile);
    worker = env.spawnWorkerProcess();

    const results = await Promise.all(handles.map((h) => h.result()));
    await expectLimitHeld(env, results, { name: 'organisation-total', amount: limit });
  } finally {
    await kill9(worker);
    await env.close();
    await server.stop();
  }
}, 600_000);
