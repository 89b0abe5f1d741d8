/** How a batch cuts its queue into orders whose claims fall in few registries. */
import { byShard } from '../../../src/shared/claim-types';
import { itemKey } from '../../../src/shared/item-key';
import { MAX_LINE_ITEMS_BYTES, queueFloor, takeGroup, takeShardGroup } from '../../../src/shared/purchase-groups';
import { jsonBytes } from '../../../src/shared/stored-pages';

const item = (n: number, extra: Record<string, unknown> = {}) => ({
  collection: 'menut-l1c-cogs',
  item: `MENUT_20251231T074018_L1C_${String(n).padStart(6, '0')}`,
  ...extra,
});
const registries = (group: ReturnType<typeof item>[]) => byShard(group.map(itemKey)).size;

test('every queued item is taken exactly once, and each group is as large as asked while the queue lasts', () => {
  const all = Array.from({ length: 1_000 }, (_, n) => item(n));
  const queue = [...all];
  const groups: ReturnType<typeof item>[][] = [];
  while (queue.length > 0) groups.push(takeShardGroup(queue, 20));
  expect(groups.flat().map(itemKey).sort()).toEqual(all.map(itemKey).sort());
  expect(groups.slice(0, -1).every((group) => group.length === 20)).toBe(true);
});

test('the groups depend on the lines alone: the same whether their shards were worked out before or not', () => {
  const all = Array.from({ length: 400 }, (_, n) => item(n));
  const drain = (queue: ReturnType<typeof item>[]) => {
    const keys: string[][] = [];
    while (queue.length > 0) keys.push(takeShardGroup(queue, 20).map(itemKey));
    return keys;
  };
  const first = drain([...all]);
  expect(drain([...all])).toEqual(first); // the same lines, their shards kept from the first drain
  expect(drain(all.map((line) => ({ ...line })))).toEqual(first); // copies, as after a replay
  expect(drain(structuredClone(all).reverse())).not.toEqual(first); // another order is another queue
});

test('a group of 20 from a queue of 500 falls in a few claim registries, where the queue order touches about 17', () => {
  const queued = () => Array.from({ length: 500 }, (_, n) => item(n));
  const byShardGroups = queued();
  const inOrder = queued();
  let shardRegistries = 0;
  let orderRegistries = 0;
  for (let group = 0; group < 10; group++) {
    shardRegistries += registries(takeShardGroup(byShardGroups, 20));
    orderRegistries += registries(takeGroup(inOrder, 20));
  }
  expect(orderRegistries / 10).toBeGreaterThan(12);
  expect(shardRegistries / 10).toBeLessThanOrEqual(3);
});

test('the most queued shard goes first, its items in queue order; the rest of the queue keeps its order', () => {
  const all = Array.from({ length: 300 }, (_, n) => item(n));
  const queue = [...all];
  const group = takeShardGroup(queue, 3);
  const shards = byShard(all.map(itemKey));
  const largest = Math.max(...[...shards.values()].map((keys) => keys.length));
  const first = [...shards.values()].find((keys) => keys.length === largest) as string[];
  expect(group.map(itemKey)).toEqual(first.slice(0, 3));
  const taken = new Set(group.map(itemKey));
  expect(queue).toEqual(all.filter((line) => !taken.has(itemKey(line))));
});

test('a group stays under the line items bound whatever shard it comes from', () => {
  const polygon = { type: 'Polygon', coordinates: [Array.from({ length: 100 }, (_, n) => [n / 1000, n / 1000])] };
  const queue = Array.from({ length: 300 }, (_, n) => item(n, { geometry: polygon, projectId: 'p' }));
  const group = takeShardGroup(queue, 100);
  expect(group.length).toBeGreaterThan(0);
  expect(group.length).toBeLessThan(100);
  expect(jsonBytes(group)).toBeLessThanOrEqual(MAX_LINE_ITEMS_BYTES);
  expect(queue).toHaveLength(300 - group.length);
});

test("a batch's queue, refilled by chunks of 500 below its floor, gives 20-item orders one registry each (1.7 with two windows)", () => {
  const registriesPerOrder = (floor: number) => {
    let next = 0;
    const queue: ReturnType<typeof item>[] = [];
    let total = 0;
    for (let order = 0; order < 250; order++) {
      if (queue.length < floor) queue.push(...Array.from({ length: 500 }, () => item(next++)));
      total += registries(takeShardGroup(queue, 20));
    }
    return total / 250;
  };
  expect(queueFloor(20, 10, false)).toBe(400);
  expect(queueFloor(20, 10, true)).toBe(1_280);
  expect(queueFloor(20, 50, true)).toBe(2_000); // two windows are more
  expect(queueFloor(50, 10, true)).toBe(2_000); // at most four chunks ahead for the shards' sake
  expect(queueFloor(500, 10, true)).toBe(queueFloor(500, 10, false));
  expect(registriesPerOrder(queueFloor(20, 10, false))).toBeGreaterThan(1.5);
  expect(registriesPerOrder(queueFloor(20, 10, true))).toBeLessThan(1.1);
});
