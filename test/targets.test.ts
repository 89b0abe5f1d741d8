/**
 * Two DataCosmos targets on one Temporal server, as a user has them: `dcp dev` runs the local stack (its simulator,
 * its worker) and a second simulator stands in for the real account, served by `dcp worker` configured by
 * environment variables only, on dev's Temporal server. Both simulators seed the same organisation (1001) and the
 * same catalog, so only the API tells the targets apart. Purchases, batches and schedule runs started for each
 * target are ordered only on it (0 crossed, read from each simulator's own order audit), an item bought on one is
 * bought again on the other (claims are per target), a purchase whose target has no worker waits and says so, and a
 * purchase id taken on one target is refused on the other, as are a redrive and a redelivery of its purchase.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { spawnLogged, type LoggedChild } from '../local/child-process';
import { startSimulatorProcess, type SimulatorProcess } from '../local/simulator-process';
import { readStackFile, type LocalStack } from '../src/config/stack-file';
import type { BatchResult } from '../src/shared/batch-types';
import { freePorts, startDev, stopDev, untilRunning, type Dev } from './support/dev-process';
import { ACME, SimAdmin } from '../harness/simulator';
import { until } from '../harness/until';

jest.setTimeout(180_000);

const DCP = path.resolve(__dirname, '../dist/src/starter.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

let root: string;
let dev: Dev;
let stack: LocalStack;
let realSim: SimulatorProcess;
let realWorker: LoggedChild | undefined;
/** A shell for the local stack: no product variables, the stack file of dev's data dir. */
let localEnv: NodeJS.ProcessEnv;
/** A shell set up for the "real" account, by environment variables only. */
let realEnv: NodeJS.ProcessEnv;

/** Our environment less the product's own variables, as a fresh shell has it. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DATACOSMOS|TEMPORAL|DCP)_/.test(name)));
}

function dcp(env: NodeJS.ProcessEnv, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [DCP, ...args], { env, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function ok(env: NodeJS.ProcessEnv, args: string[]): Promise<Run> {
  const run = await dcp(env, args);
  if (run.code !== 0) throw new Error(`dcp ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return run;
}

function file(name: string, content: unknown): string {
  const target = path.join(root, name);
  fs.writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
  return target;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-targets-'));
  const dataDir = path.join(root, 'dev');
  dev = startDev(dataDir, await freePorts(), true, cleanEnvironment());
  await untilRunning(dev);
  stack = readStackFile(dataDir) as LocalStack;
  realSim = await startSimulatorProcess({ port: 0, dataDir: path.join(root, 'real-sim') });
  localEnv = { ...cleanEnvironment(), DCP_DATA_DIR: dataDir };
  realEnv = {
    ...cleanEnvironment(),
    DATACOSMOS_API_URL: realSim.url,
    DATACOSMOS_AUTH_URL: realSim.url,
    DATACOSMOS_CLIENT_ID: ACME.clientId,
    DATACOSMOS_CLIENT_SECRET: ACME.clientSecret,
    DATACOSMOS_ORGANISATION_ID: String(ACME.organisation),
    TEMPORAL_ADDRESS: stack.temporal.address,
    LOG_LEVEL: 'warn',
  };
}, 120_000);

afterAll(async () => {
  await realWorker?.stop();
  await realSim?.stop();
  await stopDev(dev);
});

/** Newest catalog items of a collection, as `dcp search` lists them (both simulators have the same catalog). */
async function catalogItems(collection: string, count: number): Promise<string[]> {
  const found = await ok(localEnv, ['search', '--collection', collection, '--limit', String(count), '--json']);
  return (JSON.parse(found.stdout) as Array<{ collection: string; id: string }>).map((i) => `${i.collection}/${i.id}`);
}

/** The items each simulator's orders hold, from its own audit. */
async function orderedItems(url: string): Promise<string[]> {
  const orders = await new SimAdmin(url).orders(ACME.organisation);
  return orders.flatMap((order) => order.items.map((line) => `${line.collection}/${line.item}`));
}

/** The result of a batch, from dev's Temporal server. */
async function batchResult(batchId: string): Promise<BatchResult> {
  const connection = await Connection.connect({ address: stack.temporal.address });
  try {
    return (await new Client({ connection }).workflow.getHandle(batchId).result()) as BatchResult;
  } finally {
    await connection.close();
  }
}

const statusOf = async (env: NodeJS.ProcessEnv, id: string) =>
  JSON.parse((await ok(env, ['status', id, '--json'])).stdout) as Record<string, unknown>;

let menut: string[];

test('a purchase for the real target waits for its worker, and says so, while only the local worker runs', async () => {
  menut = await catalogItems('menut-l1c-cogs', 8);
  const started = await ok(realEnv, ['buy', '--item', menut[0], '--no-wait']);
  const purchaseId = started.stdout.trim();
  expect(started.stderr).toContain(`no worker polls task queue datacosmos-purchase/1001@${new URL(realSim.url).host}`);

  const waiting = await statusOf(realEnv, purchaseId);
  expect(waiting).toMatchObject({
    purchaseId,
    waitingForWorker: { taskQueue: expect.stringContaining(realSim.url.slice(7)) },
  });
  const text = await ok(realEnv, ['status', purchaseId]);
  expect(text.stdout).toContain(`purchase ${purchaseId}: waiting for a worker`);
  expect(await orderedItems(realSim.url)).toEqual([]);
  expect(await orderedItems(stack.simulator.url)).toEqual([]); // the local worker never took it

  realWorker = spawnLogged(process.execPath, [DCP, 'worker'], {
    env: realEnv,
    logFile: path.join(root, 'real-worker.log'),
    stopGraceMs: 15_000,
  });
  await until(
    'the purchase completed by the real worker',
    () => statusOf(realEnv, purchaseId),
    (status) => status.end === 'COMPLETED',
  );
  expect(await orderedItems(realSim.url)).toEqual([menut[0]]);
  expect(await orderedItems(stack.simulator.url)).toEqual([]);
});

test('purchases, batches and schedule runs of both targets are each ordered only where they were started for', async () => {
  // Purchases: the item the real account bought is bought on the local target too (its claim there is its own).
  await ok(localEnv, ['buy', '--item', menut[0]]);
  await ok(localEnv, ['buy', '--item', menut[1]]);
  await ok(realEnv, ['buy', '--item', menut[2]]);

  // Batches whose items overlap across the targets.
  const mantis = await catalogItems('mantis-l1d-cogs', 5);
  const batchItems = (items: string[]) => file(`batch-${items.length}-${items[0].replace(/\W/g, '')}.json`, items);
  const localBatchItems = [mantis[0], mantis[1], mantis[2]];
  const realBatchItems = [mantis[2], mantis[3], mantis[4]];
  const [localBatch, realBatch] = await Promise.all([
    ok(localEnv, ['batch', '--items', batchItems(localBatchItems), '--budget', '100000', '--json']),
    ok(realEnv, ['batch', '--items', batchItems(realBatchItems), '--budget', '100000', '--json']),
  ]);
  expect((JSON.parse(localBatch.stdout) as { counts: Record<string, number> }).counts.PAID).toBe(3);
  expect((JSON.parse(realBatch.stdout) as { counts: Record<string, number> }).counts.PAID).toBe(3);

  // A schedule on each target over the same search: each run buys the same newest items, on its own target.
  const search = file('search.json', { collections: ['hammer-l1c-cogs'], maxItems: 2 });
  const hammer = await catalogItems('hammer-l1c-cogs', 2);
  const runs = await Promise.all(
    [
      ['local', localEnv],
      ['real', realEnv],
    ].map(async ([name, env]) => {
      const id = `targets-${name as string}`;
      const shell = env as NodeJS.ProcessEnv;
      await ok(shell, [
        'schedule',
        'create',
        '--search',
        search,
        '--every',
        '3650d',
        '--budget-per-run',
        '100000',
        '--schedule-id',
        id,
      ]);
      await ok(shell, ['schedule', 'trigger', id]);
      const listed = await until(
        `the run of ${id}`,
        async () =>
          JSON.parse((await ok(shell, ['schedule', 'list', '--json'])).stdout) as Array<Record<string, string>>,
        (schedules) => schedules.some((s) => s.scheduleId === id && s.lastBatchId),
      );
      const batchId = listed.find((s) => s.scheduleId === id)!.lastBatchId;
      return { id, result: await batchResult(batchId) };
    }),
  );
  for (const { result } of runs) expect(result.counts.PAID).toBe(2);

  // The audit of each simulator: every order is one of its own target's, each item in exactly one order.
  const local = await orderedItems(stack.simulator.url);
  const real = await orderedItems(realSim.url);
  const localStarted = [menut[0], menut[1], ...localBatchItems, ...hammer];
  const realStarted = [menut[0], menut[2], ...realBatchItems, ...hammer];
  expect(local.sort()).toEqual([...localStarted].sort());
  expect(real.sort()).toEqual([...realStarted].sort());

  // Each shell lists its own target's schedules and purchases; --all-targets shows both.
  const localSchedules = JSON.parse((await ok(localEnv, ['schedule', 'list', '--json'])).stdout) as Array<{
    scheduleId: string;
  }>;
  expect(localSchedules.map((s) => s.scheduleId)).toEqual(['targets-local']);
  const all = JSON.parse((await ok(realEnv, ['schedule', 'list', '--all-targets', '--json'])).stdout) as unknown[];
  expect(all).toHaveLength(2);
  const listedReal = JSON.parse((await ok(realEnv, ['list', '--json'])).stdout) as Array<{ taskQueue: string }>;
  expect(new Set(listedReal.map((p) => p.taskQueue))).toEqual(
    new Set([`datacosmos-purchase/1001@${new URL(realSim.url).host}`]),
  );
});

test('a purchase id taken on one target is refused on the other, as is its redrive or redelivery, with nothing started', async () => {
  const item = (await catalogItems('platero-l1c-cogs', 1))[0];
  await ok(localEnv, ['buy', '--item', item, '--purchase-id', 'targets-same-id']);
  const refused = await dcp(realEnv, ['buy', '--item', item, '--purchase-id', 'targets-same-id']);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(
    /^dcp: targets-same-id is already used on task queue datacosmos-purchase\/1001@127\.0\.0\.1:\d+, another DataCosmos target than this one/m,
  );
  expect(await orderedItems(realSim.url)).not.toContain(item);

  // A redrive or redelivery started from it would run on this target's account: refused before anything is read.
  for (const command of ['redrive', 'redeliver']) {
    const other = await dcp(realEnv, [command, 'targets-same-id']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(
      /^dcp: purchase targets-same-id ran on task queue datacosmos-purchase\/1001@127\.0\.0\.1:\d+, another DataCosmos target than this one/m,
    );
  }
});
