/** Order creation: the order it returns, each validation rule, licences, credits at create, and per-organisation visibility. */
import { Order } from '../src/datacosmos/api-schemas';
import { add } from '../src/shared/money';
import { findItems, orderBody, subAreaOf, type CatalogRef } from './support/orders';
import { ACME, BLUE_FIELDS, CIRRUS, call, getToken, type InProcessSimulator } from '../harness/simulator';
import { oneSimulatorPerFile } from './support/one-simulator';

let sim: InProcessSimulator;
let acme: string;
let items: CatalogRef[];
const ORDERS = '/api/data/v0/order/orders';
oneSimulatorPerFile({ items: 400, catalogItems: 3 }, (ready) => ({ sim, token: acme, items } = ready));

const create = (body: unknown, token = acme, query = '') => call(sim.url, 'POST', `${ORDERS}${query}`, { token, body });

test('creates an UNPAID order with priced line items, and only its organisation can read it', async () => {
  const res = await create(
    orderBody(ACME.organisation, ACME.contract, items.slice(0, 2)),
    acme,
    '?redirect_host=https://example.com',
  );
  expect(res.status).toBe(201);
  const order = res.body.data;
  expect(order).toMatchObject({
    type: 'IMAGE',
    organisation_id: 1001,
    contract_id: 5001,
    status: 'UNPAID',
    payment_method: null,
    checkout_redirect_url: '',
    currency: 'EUR',
    customer_id: ACME.clientId,
  });
  expect(order.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(order.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  expect(
    order.order_line_items.map((l: { item: string; price: string; currency: string }) => [l.item, l.price, l.currency]),
  ).toEqual(items.slice(0, 2).map((i) => [i.item, i.price, 'EUR']));
  for (const line of order.order_line_items) expect(line.id).toBeTruthy();
  expect(order.total).toBe(add(items[0].price, items[1].price));

  const own = await call(sim.url, 'GET', `${ORDERS}/${order.id}`, { token: acme });
  expect(Order.parse(own.body.data).id).toBe(order.id);
  const other = await call(sim.url, 'GET', `${ORDERS}/${order.id}`, { token: await getToken(sim.url, BLUE_FIELDS) });
  expect(other.status).toBe(404);
  expect((await call(sim.url, 'GET', `${ORDERS}/00000000-0000-0000-0000-000000000000`, { token: acme })).status).toBe(
    404,
  );
});

test.each([
  ['type must be IMAGE', (b: any) => ({ ...b, type: 'TASKING' }), 400, 'type'],
  ['at least one line item', (b: any) => ({ ...b, data: { order_line_items: [] } }), 400, 'data.order_line_items'],
  [
    'level must match the item',
    (b: any) => ({ ...b, data: { order_line_items: [{ ...b.data.order_line_items[0], level: 'L2A' }] } }),
    400,
    'data.order_line_items.0.level',
  ],
  [
    'geometry needs project_id',
    (b: any) => ({
      ...b,
      data: { order_line_items: [{ ...b.data.order_line_items[0], geometry: { type: 'Point', coordinates: [1, 2] } }] },
    }),
    400,
    'data.order_line_items.0.project_id',
  ],
  ['organisation must be the caller’s', (b: any) => ({ ...b, organisation: 1002 }), 403, 'organisation'],
  ['contract must be the organisation’s', (b: any) => ({ ...b, contract_id: 6001 }), 403, 'contract_id'],
  ['contract must be active', (b: any) => ({ ...b, contract_id: 5003 }), 400, 'contract_id'],
  ['contract window must be open', (b: any) => ({ ...b, contract_id: 5004 }), 400, 'contract_id'],
  ['contract must exist', (b: any) => ({ ...b, contract_id: 4242 }), 404, 'contract_id'],
  ['organisation is required', ({ organisation: _o, ...b }: any) => b, 400, 'organisation'],
])('rejects an order whose %s', async (_name, mutate, status, field) => {
  const res = await create(mutate(orderBody(ACME.organisation, ACME.contract, items.slice(0, 1))));
  expect(res.status).toBe(status);
  expect(res.body.errors[0].field).toBe(field);
  expect(res.body.errors[0].message.length).toBeGreaterThan(0);
});

test('an unknown item is refused naming the item; geometry with project_id is accepted', async () => {
  const unknown = await create(orderBody(ACME.organisation, ACME.contract, [{ ...items[0], item: 'MENUT_NOPE' }]));
  expect(unknown.status).toBe(404);
  expect(unknown.body.errors[0].message).toContain('MENUT_NOPE');
  const line = {
    collection: items[0].collection,
    item: items[0].item,
    level: items[0].level,
    geometry: await subAreaOf(sim.url, acme, items[0]),
    project_id: 'p-1',
  };
  const ok = await create({ ...orderBody(ACME.organisation, ACME.contract, []), data: { order_line_items: [line] } });
  expect(ok.status).toBe(201);
  expect(ok.body.data.order_line_items[0]).toMatchObject({ project_id: 'p-1', geometry: line.geometry });
  const before = (await sim.admin.orders()).length;
  await create({ not: 'json order' });
  await call(sim.url, 'POST', ORDERS, { token: acme, body: '{broken' });
  expect((await sim.admin.orders()).length).toBe(before);
});

test('with licences required, create needs accepted licences', async () => {
  await sim.admin.setSettings({ requireLicenses: true });
  try {
    const missing = await create(orderBody(ACME.organisation, ACME.contract, items.slice(0, 1)));
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].field).toBe('licenses');
    const license = {
      license_link: 'https://example.com/eula',
      license_name: 'EULA',
      license_version: '1',
      accepted: true,
    };
    const rejected = await create(
      orderBody(ACME.organisation, ACME.contract, items.slice(0, 1), { licenses: [{ ...license, accepted: false }] }),
    );
    expect(rejected.status).toBe(400);
    const accepted = await create(
      orderBody(ACME.organisation, ACME.contract, items.slice(0, 1), { licenses: [license] }),
    );
    expect(accepted.status).toBe(201);
  } finally {
    await sim.admin.setSettings({ requireLicenses: false });
  }
});

test('with credits applied at create, a covered order is PAID at once and an uncovered one stays UNPAID', async () => {
  await sim.admin.setSettings({ creditsAt: 'create' });
  try {
    const paid = await create(orderBody(ACME.organisation, ACME.contract, items.slice(0, 1)));
    expect(paid.body.data).toMatchObject({ status: 'PAID', payment_method: 'NOT_REQUIRED', checkout_redirect_url: '' });
    const blue = await getToken(sim.url, BLUE_FIELDS);
    const blueItems = await findItems(sim.url, blue, BLUE_FIELDS.contract, 1);
    const unpaid = await create(orderBody(BLUE_FIELDS.organisation, BLUE_FIELDS.contract, blueItems), blue);
    expect(unpaid.body.data).toMatchObject({ status: 'UNPAID', payment_method: null });
    const cirrus = await getToken(sim.url, CIRRUS);
    expect(
      (
        await create(
          orderBody(CIRRUS.organisation, CIRRUS.contract, await findItems(sim.url, cirrus, CIRRUS.contract, 1)),
          cirrus,
        )
      ).status,
    ).toBe(201);
  } finally {
    await sim.admin.setSettings({ creditsAt: 'checkout' });
  }
});
