/**
 * Every input the limits accept runs, and no payload of any workflow comes near Temporal's limits, read from the
 * histories themselves: a 50,000-item batch started by `dcp batch` (priced, fitted, bought in part, continued as
 * new), a coverage plan over 10,000 scenes of an area of 10,000 vertices, a purchase of line items at the most one
 * purchase carries, and a claim registry holding 100,000 owned items carried through continue-as-new. The bounds
 * are the ones docs/batches.md states.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import type { Polygon } from 'geojson';
import { COVERAGE_REGION } from '../../simulator/catalog';
import type { BatchResult } from '../../src/shared/batch-types';
import { claimItemsUpdate, claimsQuery, settleClaimsUpdate } from '../../src/shared/claim-messages';
import { byShard, registryId, type RegistryInput } from '../../src/shared/claim-types';
import type { CoveragePlanRecord } from '../../src/shared/coverage-types';
import { MAX_LINE_ITEMS, type LineItemInput } from '../../src/shared/purchase-types';
import { MAX_LINE_ITEMS_BYTES } from '../../src/shared/purchase-groups';
import { jsonBytes } from '../../src/shared/stored-pages';
import { claimsTaskQueue } from '../../src/shared/task-queues';
import { runDcp } from '../support/dcp';
import { largestPayloads, PAYLOAD_WARN_BYTES, type LargestPayload } from '../support/payloads';
import { PurchaseEnv } from '../support/purchase-env';
import { call, startInProcess, type InProcessSimulator } from '../../harness/simulator';

jest.setTimeout(600_000);

/** The bound each workflow type keeps to at the product's limits (docs/batches.md, "Payload bounds"). */
const BOUNDS: Record<string, number> = {
  batchPurchaseWorkflow: 320 * 1024,
  purchaseWorkflow: 320 * 1024,
  claimRegistryWorkflow: 400 * 1024,
  storedPageWorkflow: 160 * 1024,
};

let sim: InProcessSimulator;
let env: PurchaseEnv;
let dir: string;

beforeAll(async () => {
  // Every tenth scene lies in the coverage region: 120,000 make the area's 10,000 candidates, and more.
  sim = await startInProcess({ items: 120_000 });
  env = await PurchaseEnv.start({ sim });
  await env.admin.setCredits(env.account.organisation, '100000000');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-payloads-'));
}, 120_000);

afterAll(async () => {
  await env?.close();
  await sim?.close();
});

/** The largest payload of every workflow type on this environment's queues, checked against its bound. */
async function expectWithinBounds(workflowId?: string): Promise<Map<string, LargestPayload>> {
  const queues = `(TaskQueue = '${env.taskQueue}' OR TaskQueue = '${claimsTaskQueue(env.taskQueue)}')`;
  const query = workflowId ? `${queues} AND WorkflowId STARTS_WITH '${workflowId}'` : queues;
  const largest = await largestPayloads(env.client, query);
  for (const payload of largest.values()) {
    process.stderr.write(
      `LARGEST ${payload.workflowType} ${payload.bytes} ${payload.eventType} ${payload.workflowId}\n`,
    );
    const bound = BOUNDS[payload.workflowType] ?? PAYLOAD_WARN_BYTES;
    expect({ ...payload, over: payload.bytes > bound }).toMatchObject({ over: false });
    expect(bound).toBeLessThan(PAYLOAD_WARN_BYTES);
  }
  return largest;
}

test('a 50,000-item batch from `dcp batch --items`: planned, bought in part, continued as new, every item reported', async () => {
  const items = new Set<string>();
  for (const collection of ['menut-l1c-cogs', 'mantis-l1d-cogs', 'hammer-l1c-cogs', 'platero-l1c-cogs']) {
    for (let page = 0; page < 15 && items.size < 50_000; page++) {
      for (const line of await env.items(1_000, collection)) items.add(`${line.collection}/${line.item}`);
    }
  }
  expect(items.size).toBe(50_000);
  const file = path.join(dir, 'items.json');
  fs.writeFileSync(file, JSON.stringify([...items].slice(0, 50_000)));
  expect(fs.statSync(file).size).toBeGreaterThan(2 * 1024 * 1024); // over Temporal's hard limit for one payload
  const batchId = `payloads-${randomUUID()}`;
  const args = ['batch', '--items', file, '--budget', '20000', '--items-per-order', '20', '--batch-id', batchId];
  const run = await runDcp(env.settings, [...args, '--json'], 540_000);
  expect({ code: run.code, last: run.stderr.trim().split('\n').at(-1) }).toMatchObject({ code: 0 });
  const report = JSON.parse(run.stdout) as BatchResult & { items: Array<{ outcome: string }> };
  expect(report.items).toHaveLength(50_000);
  expect(Object.values(report.counts).reduce((a, b) => a + b, 0)).toBe(50_000);
  expect(report.counts.PAID).toBeGreaterThan(0);
  expect(report.runs).toBeGreaterThanOrEqual(1);
  const orders = await env.admin.orders(env.account.organisation);
  const paid = report.items.filter((item) => item.outcome === 'PAID').length;
  expect(orders.flatMap((order) => order.items)).toHaveLength(paid);

  const largest = await expectWithinBounds(batchId);
  expect([...largest.keys()].sort()).toEqual(['batchPurchaseWorkflow', 'purchaseWorkflow']);
  const pages = await expectWithinBounds(`pages/${batchId}/`);
  expect([...pages.keys()]).toEqual(['storedPageWorkflow']);
});

/** A circle of `vertices` vertices over the simulator's coverage region. */
function regionCircle(vertices: number, radiusKm: number): Polygon {
  const [lon, lat] = COVERAGE_REGION.centre;
  const kmPerLon = 111.32 * Math.cos((lat * Math.PI) / 180);
  const ring = Array.from({ length: vertices }, (_, i) => {
    const angle = (2 * Math.PI * i) / vertices;
    return [lon + (radiusKm * Math.cos(angle)) / kmPerLon, lat + (radiusKm * Math.sin(angle)) / 111.32];
  });
  return { type: 'Polygon', coordinates: [[...ring, ring[0]]] };
}

test('a coverage plan over 10,000 scenes of an area of 10,000 vertices', async () => {
  const aoi = path.join(dir, 'aoi.geojson');
  fs.writeFileSync(aoi, JSON.stringify(regionCircle(9_999, 24)));
  const batchId = `payloads-aoi-${randomUUID()}`;
  const args = ['batch', '--aoi', aoi, '--budget', '100000000', '--dry-run', '--batch-id', batchId, '--json'];
  const run = await runDcp(env.settings, args, 540_000);
  expect({ code: run.code, last: run.stderr.trim().split('\n').at(-1) }).toMatchObject({ code: 0 });
  const result = JSON.parse(run.stdout) as BatchResult;
  const plan = result.coveragePlan as CoveragePlanRecord;
  expect(plan).toMatchObject({ candidates: 10_000, candidatesCapped: true });
  expect(plan.picks.count).toBeGreaterThan(0);
  await expectWithinBounds(batchId);
  await expectWithinBounds(`pages/${batchId}/`);
});

/** Line items with sub-areas of 96 vertices inside their scenes, as many as one purchase carries. */
async function subAreaItems(): Promise<LineItemInput[]> {
  const token = await env.token();
  const lines: LineItemInput[] = [];
  for (const line of await env.items(60)) {
    const scene = await call(sim.url, 'GET', `/api/data/v0/stac/collections/${line.collection}/items/${line.item}`, {
      token,
    });
    const ring = (scene.body.geometry as Polygon).coordinates[0];
    const [lon, lat] = [0, 1].map((k) => ring.slice(0, -1).reduce((sum, p) => sum + p[k], 0) / (ring.length - 1));
    const circle = Array.from({ length: 96 }, (_, i) => {
      const angle = (2 * Math.PI * i) / 96;
      return [lon + 0.01 * Math.cos(angle), lat + 0.01 * Math.sin(angle)];
    });
    const next = { ...line, geometry: { type: 'Polygon' as const, coordinates: [[...circle, circle[0]]] } };
    const withProject = { ...next, projectId: 'payload-bounds' };
    if (jsonBytes([...lines, withProject]) > MAX_LINE_ITEMS_BYTES) break;
    lines.push(withProject);
  }
  return lines;
}

test('purchases at the most one purchase carries: 500 line items, and line items with sub-areas up to the byte bound', async () => {
  const many = await env.buy({ items: await env.items(MAX_LINE_ITEMS) });
  expect(await many.result()).toMatchObject({ end: 'COMPLETED' });
  const parts = await subAreaItems();
  expect(jsonBytes(parts)).toBeGreaterThan(0.9 * MAX_LINE_ITEMS_BYTES);
  const clipped = await env.buy({ items: parts });
  expect(await clipped.result()).toMatchObject({ end: 'COMPLETED' });
  await expectWithinBounds(many.workflowId);
  await expectWithinBounds(clipped.workflowId);
  const over = await env.buy({ items: [...parts, ...parts.slice(0, 1).map((p) => ({ ...p, item: `${p.item}-x` }))] });
  await expect(over.result()).rejects.toMatchObject({
    cause: { type: 'InvalidInput', message: expect.stringContaining('bytes of line items') },
  });
});

test('a claim registry holding 100,000 owned items carries them through continue-as-new, and answers', async () => {
  // The holder must be a running purchase: a registry releases claims whose holder has ended (or never ran).
  const holder = await env.buy({
    items: await env.items(1),
    budget: { maxTotal: '0.01', approval: 'wait', approvalTimeoutMs: 3_600_000 },
  });
  await env.waitForStage(holder, 'AWAITING_APPROVAL');
  const organisationId = 90_000 + Math.floor(Math.random() * 9_000);
  const scope = { taskQueue: env.taskQueue, organisationId };
  const keys = Array.from(
    { length: 100_000 },
    (_, i) => `menut-l1c-cogs/MENUT_20251231T074018_L1C_${String(i).padStart(6, '0')}`,
  );
  const request = { ...scope, holder: holder.workflowId };
  const fill = async ([shard, items]: [number, string[]]) => {
    const input: RegistryInput = { ...scope, shard, historyEventLimit: 12 };
    for (let from = 0; from < items.length; from += 500) {
      const chunk = items.slice(from, from + 500);
      await env.client.workflow.executeUpdateWithStart(claimItemsUpdate, {
        args: [{ ...request, items: chunk }],
        startWorkflowOperation: new WithStartWorkflowOperation('claimRegistryWorkflow', {
          workflowId: registryId(scope, shard),
          taskQueue: claimsTaskQueue(env.taskQueue),
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      // Owned as a purchase's PAID order would leave them, one order per chunk.
      await env.client.workflow.getHandle(registryId(scope, shard)).executeUpdate(settleClaimsUpdate, {
        args: [{ holder: holder.workflowId, items: chunk, settlement: { outcome: 'OWNED', orderId: randomUUID() } }],
      });
    }
  };
  // The shards are separate workflows: filled side by side, each one update after another.
  await Promise.all([...byShard(keys)].map(fill));
  await holder.cancel();
  let owned = 0;
  for (const shard of byShard(keys).keys()) {
    const claims = await env.client.workflow.getHandle(registryId(scope, shard)).query(claimsQuery);
    expect(jsonBytes(claims)).toBeLessThan(BOUNDS.claimRegistryWorkflow);
    owned += claims.filter((claim) => claim.state === 'OWNED').length;
  }
  expect(owned).toBe(100_000);
  const largest = await expectWithinBounds(`claims/${env.taskQueue}/${organisationId}/`);
  // Each registry carried its state (1,563 claims on average) into new runs: that is the payload measured.
  expect(largest.get('claimRegistryWorkflow')?.bytes).toBeGreaterThan(150 * 1024);
});
