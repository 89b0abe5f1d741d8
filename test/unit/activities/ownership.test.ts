/**
 * What a worker keeps of the organisation's PAID orders while it plans batches, run in the SDK's
 * MockActivityEnvironment: a stub DataCosmos client counts the listings, a stub Temporal client holds no claims.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Client } from '@temporalio/client';
import type { DataCosmosClient } from '../../../src/datacosmos';
import type { Order } from '../../../src/datacosmos/api-schemas';
import { responseError } from '../../../src/datacosmos/classify';
import type { OrderPage } from '../../../src/datacosmos/types';
import {
  ownershipOf,
  paidItemsMemory,
  PAID_ITEMS_KEPT_MAX,
  PAID_ITEMS_KEPT_MS,
} from '../../../src/activities/ownership';

const ORGANISATION = 1001;
const paid = (id: string, items: string[]): Order =>
  ({
    id,
    status: 'PAID',
    organisation_id: ORGANISATION,
    order_line_items: items.map((item) => ({ collection: 'sentinel-2', item, level: 'L1C' })),
  }) as Order;
const key = (item: string) => `sentinel-2/${item}`;

/** A client listing these orders (two to a page) and counting the listings; or refusing the list. */
function stubClient(orders: () => Order[], refusal?: Error) {
  let listings = 0;
  const client = {
    async *listAllOrders(): AsyncIterable<OrderPage> {
      listings++;
      if (refusal) throw refusal;
      const all = orders();
      for (let at = 0; at < all.length; at += 2) {
        yield { orders: all.slice(at, at + 2), unreadable: 0, unreadableReason: null, nextCursor: null };
      }
    },
  } as unknown as DataCosmosClient;
  return { client, listings: () => listings };
}

const noClaims = {
  workflow: { getHandle: () => ({ query: async () => [] }) },
  withAbortSignal: <R>(_signal: AbortSignal, fn: () => R) => fn(),
} as unknown as Client;

const inActivity = <T>(fn: () => Promise<T>): Promise<T> =>
  new MockActivityEnvironment(undefined, { client: noClaims }).run(fn) as Promise<T>;

/** A clock the test moves. */
function clock(start: number) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

const BATCH_START = Date.parse('2026-12-05T10:00:00Z');
const scope = (listedSince?: number) => ({ claimScope: 'queue', organisationId: ORGANISATION, listedSince });

test("a batch's chunks share one listing of the PAID orders while it is kept, and see what it holds", async () => {
  const { client, listings } = stubClient(() => [paid('order-1', ['A', 'B']), paid('order-2', ['C'])]);
  const time = clock(BATCH_START + 1_000);
  const memory = paidItemsMemory(time.now);
  const first = await inActivity(() => ownershipOf(client, memory, scope(BATCH_START), [key('A'), key('X')]));
  time.advance(PAID_ITEMS_KEPT_MS - 1);
  const second = await inActivity(() => ownershipOf(client, memory, scope(BATCH_START), [key('C'), key('Y')]));
  expect(listings()).toBe(1);
  expect([...first.owned]).toEqual([[key('A'), 'order-1']]);
  expect([...second.owned]).toEqual([[key('C'), 'order-2']]);
  expect(second.unknown).toBeNull();
});

/** A listing at the batch's start; then order-2 pays for B, the clock moves on, and B is asked about again. */
async function paidSinceListing(advanceMs: number) {
  let orders = [paid('order-1', ['A'])];
  const { client, listings } = stubClient(() => orders);
  const time = clock(BATCH_START);
  const memory = paidItemsMemory(time.now);
  await inActivity(() => ownershipOf(client, memory, scope(BATCH_START), [key('B')]));
  orders = [...orders, paid('order-2', ['B'])];
  time.advance(advanceMs);
  const askAgain = (listedSince?: number) =>
    inActivity(() => ownershipOf(client, memory, scope(listedSince), [key('B')]));
  return { askAgain, listings };
}

test('the orders are listed again once the listing is older than the keeping time, and what was paid since is seen', async () => {
  const { askAgain, listings } = await paidSinceListing(PAID_ITEMS_KEPT_MS);
  const later = await askAgain(BATCH_START);
  expect(listings()).toBe(2);
  expect([...later.owned]).toEqual([[key('B'), 'order-2']]);
});

test('within the keeping time the same batch is not told of an order paid since (its claims decide)', async () => {
  const { askAgain, listings } = await paidSinceListing(PAID_ITEMS_KEPT_MS - 1);
  const later = await askAgain(BATCH_START);
  expect(listings()).toBe(1);
  expect(later.owned.size).toBe(0);
});

test('a batch that began after the kept listing lists again: what was paid before it began is never missed', async () => {
  const { askAgain, listings } = await paidSinceListing(1_000);
  const nextBatch = await askAgain(BATCH_START + 1_000);
  expect(listings()).toBe(2);
  expect([...nextBatch.owned]).toEqual([[key('B'), 'order-2']]);
  // Without a batch start (coverage planning), the orders are listed for the asking.
  await askAgain();
  expect(listings()).toBe(3);
});

test('an organisation with more PAID items than a worker keeps: each look-up lists again and finds its own', async () => {
  const many = Array.from({ length: PAID_ITEMS_KEPT_MAX + 1 }, (_, i) => `I${i}`);
  const { client, listings } = stubClient(() => [paid('order-big', many), paid('order-2', ['B'])]);
  const time = clock(BATCH_START);
  const memory = paidItemsMemory(time.now);
  const first = await inActivity(() => ownershipOf(client, memory, scope(BATCH_START), [key('B'), key('I7')]));
  const second = await inActivity(() => ownershipOf(client, memory, scope(BATCH_START), [key('I9')]));
  // The first asks for all (and stops past the bound), then for its own; the second only for its own.
  expect(listings()).toBe(3);
  expect(Object.fromEntries(first.owned)).toEqual({ [key('B')]: 'order-2', [key('I7')]: 'order-big' });
  expect([...second.owned]).toEqual([[key('I9'), 'order-big']]);
});

test('an order list the API does not serve: ownership outside the product is unknown, kept like an answer', async () => {
  const exchange = { endpoint: 'order_list' as const, method: 'GET', unsafeToRepeat: false };
  const { client, listings } = stubClient(() => [], responseError(exchange, 404, '', undefined));
  const memory = paidItemsMemory(clock(BATCH_START).now);
  const first = await inActivity(() => ownershipOf(client, memory, scope(BATCH_START), [key('A')]));
  await inActivity(() => ownershipOf(client, memory, scope(BATCH_START), [key('A')]));
  expect(first.owned.size).toBe(0);
  expect(first.unknown).toMatch(/^orders paid outside this product cannot be seen: /);
  expect(listings()).toBe(1);
});

test('a listing that fails is not kept: the next chunk lists again', async () => {
  let fail = true;
  const { client, listings } = stubClient(() => {
    if (fail) throw new Error('connection reset');
    return [paid('order-1', ['A'])];
  });
  const memory = paidItemsMemory(clock(BATCH_START).now);
  await expect(inActivity(() => ownershipOf(client, memory, scope(BATCH_START), [key('A')]))).rejects.toThrow();
  fail = false;
  const again = await inActivity(() => ownershipOf(client, memory, scope(BATCH_START), [key('A')]));
  expect(listings()).toBe(2);
  expect([...again.owned]).toEqual([[key('A'), 'order-1']]);
});
