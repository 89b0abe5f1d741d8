/**
 * The order activities' at-most-once rules, run in the SDK's MockActivityEnvironment (no Temporal, no simulator):
 * a stub client records what the activity asks of the API, and the attempt number is the one a retry would have.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../../src/activities';
import type { DataCosmosClient } from '../../../src/datacosmos';
import type { Order } from '../../../src/datacosmos/api-schemas';
import type { CheckoutOutcome, OrderPage } from '../../../src/datacosmos/types';
import type { CreateOrderInput } from '../../../src/shared/purchase-types';
import { responseError } from '../../../src/datacosmos/classify';

const ORGANISATION = 1001;
const input: CreateOrderInput = {
  contractId: 5001,
  lineItems: [{ collection: 'sentinel-2', item: 'S2A_1', level: 'L1C' }],
  notBefore: '2026-12-05T10:00:00.000Z',
};
const order = (extra: Partial<Order> = {}): Order =>
  ({
    id: 'order-1',
    status: 'UNPAID',
    organisation_id: ORGANISATION,
    contract_id: 5001,
    order_line_items: [{ collection: 'sentinel-2', item: 'S2A_1', level: 'L1C' }],
    created_at: '2026-12-05T10:00:05.000Z',
    ...extra,
  }) as Order;

/**
 * A client that answers from these orders and records every call the activity makes. `created` is the create's
 * reply; `reads` a read's answer by order id, an Error to throw.
 */
function stubClient(
  listed: Order[],
  reads: Record<string, Order | Error> = {},
  createFailures: Error[] = [],
  created: Order = order({ id: 'order-new' }),
) {
  const calls: string[] = [];
  const client = {
    async createOrder() {
      calls.push('create');
      const failure = createFailures.shift();
      if (failure) throw failure;
      return created;
    },
    async *listAllOrders(): AsyncIterable<OrderPage> {
      calls.push('list');
      yield { orders: listed, unreadable: 0, unreadableReason: null, nextCursor: null };
    },
    async getOrder(id: string) {
      calls.push(`get ${id}`);
      const read = reads[id] ?? order({ id });
      if (read instanceof Error) throw read;
      return read;
    },
    async checkout(id: string): Promise<CheckoutOutcome> {
      calls.push(`checkout ${id}`);
      return { order: order({ id, status: 'PAID' }), checkoutUrl: null };
    },
  } as unknown as DataCosmosClient;
  return { client, calls };
}

const run = <T>(attempt: number, fn: () => Promise<T>): Promise<T> =>
  new MockActivityEnvironment({ attempt }).run(fn) as Promise<T>;

test('a first create posts once and never lists', async () => {
  const { client, calls } = stubClient([order()]);
  const { createOrderOnce } = createActivities({ client, organisationId: ORGANISATION });
  const created = await run(1, () => createOrderOnce(input));
  expect(created.orderId).toBe('order-new');
  expect(calls).toEqual(['create']);
});

test('a retried create adopts the order the lost attempt made instead of posting again', async () => {
  const { client, calls } = stubClient([order({ id: 'other', contract_id: 5002 }), order()]);
  const { createOrderOnce } = createActivities({ client, organisationId: ORGANISATION });
  const adopted = await run(2, () => createOrderOnce(input));
  expect(adopted.orderId).toBe('order-1');
  expect(calls).toEqual(['list']);
});

test('a retried create posts only when the list proves no order holds the items', async () => {
  const cancelled = order({ status: 'CANCELLED' });
  const elsewhere = order({
    id: 'order-2',
    order_line_items: [{ collection: 'sentinel-2', item: 'S2A_9', level: 'L1C' }],
  });
  const { client, calls } = stubClient([cancelled, elsewhere]);
  const { createOrderOnce } = createActivities({ client, organisationId: ORGANISATION });
  expect((await run(3, () => createOrderOnce({ ...input }))).orderId).toBe('order-new');
  expect(calls).toEqual(['list', 'create']);
});

test('a retried checkout of an order already paid reads it and does not check out again', async () => {
  const { client, calls } = stubClient([], { 'order-1': order({ status: 'PAID' }) });
  const { checkoutOrder } = createActivities({ client, organisationId: ORGANISATION });
  expect((await run(2, () => checkoutOrder({ orderId: 'order-1' }))).status).toBe('PAID');
  expect(calls).toEqual(['get order-1']);
  expect((await run(1, () => checkoutOrder({ orderId: 'order-1' }))).status).toBe('PAID');
  expect(calls).toEqual(['get order-1', 'checkout order-1']);
});

const createExchange = { endpoint: 'order_create' as const, method: 'POST', unsafeToRepeat: true };

test('a create refused in a way that proves nothing was made is sent again within the attempt, with no look-up', async () => {
  const refusals = [responseError(createExchange, 429, '', '0'), responseError(createExchange, 429, '', '0')];
  const { client, calls } = stubClient([order()], {}, refusals);
  const { createOrderOnce } = createActivities({ client, organisationId: ORGANISATION });
  expect((await run(1, () => createOrderOnce(input))).orderId).toBe('order-new');
  expect(calls).toEqual(['create', 'create', 'create']);
});

test('a create whose outcome is unknown is never sent again within the attempt', async () => {
  const lost = responseError(createExchange, 502, '<html>bad gateway</html>', undefined);
  expect(lost.kind).toBe('outcome_unknown');
  const { client, calls } = stubClient([], {}, [lost]);
  const { createOrderOnce } = createActivities({ client, organisationId: ORGANISATION });
  await expect(run(1, () => createOrderOnce(input))).rejects.toThrow('may or may not exist');
  expect(calls).toEqual(['create']);
});

test('a created order whose read keeps failing is returned with its status unknown, never lost to a retry', async () => {
  // Lost, the id would leave a retry only the order list, which may not show the new order yet: a second create.
  const unavailable = responseError({ endpoint: 'order_get', method: 'GET', unsafeToRepeat: false }, 503, '', '0');
  const withoutStatus = { ...order({ id: 'order-new' }), status: undefined } as unknown as Order;
  const { client, calls } = stubClient([], { 'order-new': unavailable }, [], withoutStatus);
  const { createOrderOnce } = createActivities({ client, organisationId: ORGANISATION });
  const created = await run(1, () => createOrderOnce(input));
  expect(created).toMatchObject({ orderId: 'order-new', status: null });
  expect(calls.filter((call) => call === 'create')).toEqual(['create']);
  expect(calls).toContain('get order-new');
});
