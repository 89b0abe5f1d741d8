/**
 * The client reads what the DataCosmos docs show, and stays readable where they are silent: only what a decision
 * needs is required. The replies below are the docs' examples (the create reply of the Orders page, the price
 * reply, the Ordering page's checkout reply) and the variations the docs allow.
 */
import {
  CheckoutResponse,
  ContractsResponse,
  CreatedOrderReply,
  Order,
  OrderList,
  OrderResponse,
  PriceResponse,
  StacItemCollection,
} from '../../src/datacosmos/api-schemas';
import { checkoutLink } from '../../src/datacosmos';
import { toOrderPage } from '../../src/datacosmos/order-page';

/** The create-reply example of the docs, with the item the public clients read. */
const DOCUMENTED_ORDER = {
  id: '550e8400-e29b-41d4-a716-446655440000',
  type: 'IMAGE',
  customer_id: 'cus-abc123',
  organisation_id: 42,
  contract_id: 456,
  status: 'PAID',
  payment_method: 'NOT_REQUIRED',
  payment_reference_number: '',
  order_line_items: [{ id: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890', collection: 'menut-l1c-cogs', item: 'i-1' }],
  checkout_redirect_url: '',
};

test('the documented create reply reads: no created_at, no totals, no line-item level or price', () => {
  const { data } = OrderResponse.parse({ data: DOCUMENTED_ORDER, errors: [] });
  expect(data).toMatchObject({ id: DOCUMENTED_ORDER.id, status: 'PAID', payment_method: 'NOT_REQUIRED' });
  expect(data.created_at).toBeUndefined();
  expect(data.payment_reference_number).toBeUndefined(); // "" is how the docs write "no value"
  expect(checkoutLink(data)).toBeNull();
});

test('an unpaid order with payment_method "" reads it as absent; an unknown status is kept as it came', () => {
  const unpaid = Order.parse({ ...DOCUMENTED_ORDER, status: 'UNPAID', payment_method: '' });
  expect(unpaid.payment_method).toBeUndefined();
  expect(Order.parse({ ...DOCUMENTED_ORDER, status: 'PROCESSING' }).status).toBe('PROCESSING');
  expect(Order.parse({ ...DOCUMENTED_ORDER, payment_method: 'VOUCHER' }).payment_method).toBe('VOUCHER');
});

test('only id and status are required of an order; a numeric id reads as its text', () => {
  expect(Order.parse({ id: 7, status: 'UNPAID' })).toMatchObject({ id: '7', status: 'UNPAID' });
  expect(Order.safeParse({ status: 'PAID' }).success).toBe(false);
  expect(Order.safeParse({ id: 'o-1', status: '' }).success).toBe(false);
  const odd = Order.parse({ id: 'o-1', status: 'PAID', total: { amount: 3 }, order_line_items: 'none', created_at: 5 });
  expect(odd).toMatchObject({ total: undefined, order_line_items: undefined, created_at: undefined });
});

test('a create reply that is not a whole order but names it is adopted by its id', () => {
  const named = CreatedOrderReply.parse({ data: { id: 'o-9' } }).data;
  expect(named.id).toBe('o-9');
  expect(named.status).toBeUndefined();
  expect(CreatedOrderReply.parse({ data: { id: 'o-9', status: 'UNPAID' } }).data.status).toBe('UNPAID');
  expect(CreatedOrderReply.safeParse({ data: { status: 'PAID' } }).success).toBe(false);
});

test('checkout replies of every shape read: the order, checkout_url, checkout_redirect_url, nothing', () => {
  const link = (reply: unknown) => checkoutLink(CheckoutResponse.parse(reply).data ?? {});
  expect(link({ data: { checkout_url: '' } })).toBeNull();
  expect(link({ data: { checkout_url: 'https://checkout.stripe.com/c/pay/x' } })).toBe(
    'https://checkout.stripe.com/c/pay/x',
  );
  expect(link({ data: { ...DOCUMENTED_ORDER, status: 'UNPAID', checkout_redirect_url: 'https://pay/y' } })).toBe(
    'https://pay/y',
  );
  expect(link(undefined)).toBeNull();
  expect(link({ data: null, errors: null })).toBeNull();
  expect(link('not an object')).toBeNull();
});

test('the price reply reads with errors null, amounts as strings or numbers, value without final', () => {
  expect(
    PriceResponse.parse({ data: { value: '12.50', final: '10.00', currency: 'EUR' }, errors: null }).data,
  ).toMatchObject({
    final: '10',
    currency: 'EUR',
  });
  expect(PriceResponse.parse({ data: { value: 12.5, currency: 'GBP' } }).data.final).toBe('12.5');
  expect(PriceResponse.safeParse({ data: { currency: 'EUR' } }).success).toBe(false);
});

test('contracts read with contract_products null and without the flags the product can do without', () => {
  const [contract] = ContractsResponse.parse({
    data: [{ contract_id: 456, currency: 'EUR', name: 'c', contract_products: null, contract_terms: null }],
    errors: null,
  }).data;
  expect(contract).toMatchObject({ contract_id: 456, currency: 'EUR', contract_products: undefined });
  expect(contract.default_contract).toBeUndefined();
});

test('a STAC item without processing:level, with eo:cloud_cover null or odd assets, does not fail its page', () => {
  const item = (id: string, properties: Record<string, unknown>, assets: unknown = {}) => ({
    type: 'Feature',
    stac_version: '1.0.0',
    id,
    collection: 'menut-l1c-cogs',
    geometry: null,
    properties: { datetime: '2025-01-01T00:00:00Z', ...properties },
    links: [{ rel: 'self' }],
    assets,
  });
  const page = StacItemCollection.parse({
    type: 'FeatureCollection',
    features: [
      item('a', { 'eo:cloud_cover': null }),
      item('b', { 'processing:level': 'L1C', 'opencosmos:price': '3.5' }, { cog: { href: '/x' }, bad: { title: 1 } }),
    ],
  });
  expect(page.features.map((f) => f.properties['processing:level'])).toEqual([undefined, 'L1C']);
  expect(page.features[0].properties['eo:cloud_cover']).toBeUndefined();
  expect(Object.keys(page.features[1].assets)).toEqual(['cog']);
  expect(page.features[0].links).toEqual([]); // a link without href is dropped, not fatal
});

test("an order list's next cursor reads as text; one there but unreadable fails the listing, never ends it", () => {
  const page = (pagination: unknown) => toOrderPage(OrderList.parse({ data: [], pagination }));
  expect(page({ next_cursor: 'c2' }).nextCursor).toBe('c2');
  expect(page({ next_cursor: 2 }).nextCursor).toBe('2');
  expect(page({ next_cursor: null }).nextCursor).toBeNull();
  expect(page({ next_cursor: '' }).nextCursor).toBeNull();
  expect(page(undefined).nextCursor).toBeNull();
  expect(() => page({ next_cursor: { after: 'c2' } })).toThrow(
    'order_list: response pagination.next_cursor: unreadable ({"after":"c2"}), so the list may go on',
  );
  expect(() => page('next')).toThrow('order_list: response pagination: unreadable ("next")');
});
