/**
 * The documented API variant: each reply has exactly the keys and value types of the published
 * example kept in simulator/fixtures/documented, endpoints that no document shows are 404, and the
 * variant is chosen on the command line or through the admin API.
 */
import { subtract } from '../src/shared/money';
import { documentedFixture, shapeDifferences, type DocumentedFixture } from './support/documented';
import { checkout, createOrder, findItems, orderBody, orderCatalogItems, type CatalogRef } from './support/orders';
import {
  ACME,
  BLUE_FIELDS,
  call,
  getToken,
  spawnSimulator,
  type ApiResponse,
  type InProcessSimulator,
} from '../harness/simulator';
import { oneSimulatorPerFile } from './support/one-simulator';

const ORDERS = '/api/data/v0/order/orders';
const POLICIES = `/api/data/v1/dpap/organisations/${ACME.organisation}/policies`;
const BATCH_V1 = `/api/data/v1/dpap/policies/${ACME.contract}/catalog/price/batch`;

let sim: InProcessSimulator;
let acme: string;
oneSimulatorPerFile({ items: 300, apiVariant: 'documented' }, (ready) => ({ sim, token: acme } = ready));

function expectDocumented(res: ApiResponse, fixture: DocumentedFixture): void {
  expect(shapeDifferences(res.body, documentedFixture(fixture))).toEqual([]);
}

function expectErrorEnvelope(res: ApiResponse, status: number): void {
  expect(res.status).toBe(status);
  const example = documentedFixture('error') as { errors: Record<string, unknown>[] };
  expect(Object.keys(res.body)).toEqual(['errors']);
  expect(Object.keys(res.body.errors[0]).sort()).toEqual(Object.keys(example.errors[0]).sort());
  expect(res.body.errors[0].message.length).toBeGreaterThan(0);
}

/** The raw create reply (the support helper returns only its data). */
const createForAcme = (item: CatalogRef) =>
  call(sim.url, 'POST', ORDERS, { token: acme, body: orderBody(ACME.organisation, ACME.contract, [item]) });
const getOrder = (id: string, token: string) => call(sim.url, 'GET', `${ORDERS}/${id}`, { token });

test('the token, the contracts and an error reply have the documented shapes', async () => {
  const token = await call(sim.url, 'POST', '/oauth/token', {
    body: {
      grant_type: 'client_credentials',
      client_id: ACME.clientId,
      client_secret: ACME.clientSecret,
      audience: 'https://beeapp.open-cosmos.com',
    },
  });
  expect(token.status).toBe(200);
  expectDocumented(token, 'token');

  const contracts = await call(sim.url, 'GET', `${POLICIES}?include_inactive_contracts=true`, { token: acme });
  expectDocumented(contracts, 'contracts');
  expect(contracts.body.data.map((c: any) => [c.contract_id, c.contract_products])).toEqual([
    [5001, null],
    [5002, null],
    [5003, null],
    [5004, null],
  ]);

  const unknownContract = await call(sim.url, 'GET', '/api/data/v0/order/price?collection=c&item=i&contract_id=4242', {
    token: acme,
  });
  expect(unknownContract.status).toBe(404);
  expectDocumented(unknownContract, 'error');
});

test('v0 and v1 single prices answer value, final and currency with errors null', async () => {
  const [item] = await findItems(sim.url, acme, ACME.contract, 1);
  const query = `collection=${item.collection}&item=${item.item}`;
  const v0 = await call(sim.url, 'GET', `/api/data/v0/order/price?${query}&contract_id=${ACME.contract}`, {
    token: acme,
  });
  const v1 = await call(sim.url, 'GET', `/api/data/v1/dpap/policies/${ACME.contract}/catalog/price?${query}`, {
    token: acme,
  });
  for (const res of [v0, v1]) {
    expect(res.status).toBe(200);
    expectDocumented(res, 'price');
    expect(res.body).toEqual({ data: { value: item.price, final: item.price, currency: 'EUR' }, errors: null });
  }
});

test('the v1 batch price and the order list are 404 with the error envelope', async () => {
  const [item] = await findItems(sim.url, acme, ACME.contract, 1);
  const batch = await call(sim.url, 'POST', BATCH_V1, {
    token: acme,
    body: { items: [{ collection: item.collection, item: item.item }] },
  });
  expectErrorEnvelope(batch, 404);
  expectErrorEnvelope(await call(sim.url, 'GET', `${ORDERS}?organisation=${ACME.organisation}`, { token: acme }), 404);
});

test('paid by credits at checkout: the documented order at every step, and a checkout reply with an empty link', async () => {
  const [item] = await findItems(sim.url, acme, ACME.contract, 1);
  const created = await createForAcme(item);
  expect(created.status).toBe(201);
  expectDocumented(created, 'order');
  expect(created.body.data).toMatchObject({
    type: 'IMAGE',
    organisation_id: ACME.organisation,
    contract_id: ACME.contract,
    status: 'UNPAID',
    payment_method: '',
    payment_reference_number: '',
    checkout_redirect_url: '',
    order_line_items: [{ collection: item.collection, item: item.item }],
  });
  const id: string = created.body.data.id;
  const unpaid = await getOrder(id, acme);
  expectDocumented(unpaid, 'order');
  expect(unpaid.body.data).toEqual(created.body.data);

  const paying = await checkout(sim.url, acme, id);
  expect(paying.status).toBe(200);
  expectDocumented(paying, 'checkout');
  expect(paying.body).toEqual({ data: { checkout_url: '' }, errors: [] });
  const paid = await getOrder(id, acme);
  expectDocumented(paid, 'order');
  expect(paid.body.data).toMatchObject({
    status: 'PAID',
    payment_method: 'NOT_REQUIRED',
    payment_reference_number: '',
    checkout_redirect_url: '',
  });
  expect((await checkout(sim.url, acme, id)).body.data).toEqual({ checkout_url: '' });

  // The admin audit keeps everything the documented replies leave out.
  const audit = (await sim.admin.orders(ACME.organisation)).find((o) => o.id === id)!;
  expect(audit).toMatchObject({ total: item.price, currency: 'EUR', charged: item.price, checkout_count: 2 });
});

test('paid by card: an empty payment method while the link is open, CARD once paid', async () => {
  const blue = await getToken(sim.url, BLUE_FIELDS);
  const order = await orderCatalogItems(sim.url, blue, BLUE_FIELDS, 2);
  expect(order.payment_method).toBe('');
  const opened = await checkout(sim.url, blue, order.id);
  expectDocumented(opened, 'checkout');
  const link: string = opened.body.data.checkout_url;
  expect(link).toMatch(new RegExp(`^${sim.url}/checkout/[\\w-]+$`));

  const waiting = await getOrder(order.id, blue);
  expectDocumented(waiting, 'order');
  expect(waiting.body.data).toMatchObject({ status: 'UNPAID', payment_method: '', checkout_redirect_url: link });
  expect((await checkout(sim.url, blue, order.id)).body.data).toEqual({ checkout_url: link });

  expect((await call(sim.url, 'POST', `${link.slice(sim.url.length)}/pay`)).status).toBe(200);
  const paid = await getOrder(order.id, blue);
  expectDocumented(paid, 'order');
  expect(paid.body.data).toMatchObject({ status: 'PAID', payment_method: 'CARD' });
  expect(paid.body.data.payment_reference_number).toMatch(/^pi_sim_/);
  expect((await checkout(sim.url, blue, order.id)).body.data).toEqual({ checkout_url: '' });
});

test('credits at create: the create reply is already PAID, NOT_REQUIRED, without a link', async () => {
  await sim.admin.setSettings({ creditsAt: 'create' });
  try {
    const before = await sim.admin.credits(ACME.organisation);
    const [item] = await findItems(sim.url, acme, ACME.contract, 1);
    const res = await createForAcme(item);
    expect(res.status).toBe(201);
    expectDocumented(res, 'order');
    expect(res.body.data).toMatchObject({ status: 'PAID', payment_method: 'NOT_REQUIRED', checkout_redirect_url: '' });
    expect(await sim.admin.credits(ACME.organisation)).toBe(subtract(before, item.price));

    const blue = await getToken(sim.url, BLUE_FIELDS);
    const unpaid = await orderCatalogItems(sim.url, blue, BLUE_FIELDS, 1);
    expect(unpaid).toMatchObject({ status: 'UNPAID', payment_method: '', checkout_redirect_url: '' });
  } finally {
    await sim.admin.setSettings({ creditsAt: 'checkout' });
  }
});

test('the admin API switches the variant; the full order is not the documented shape', async () => {
  expect((await sim.admin.settings()).apiVariant).toBe('documented');
  const order = await orderCatalogItems(sim.url, acme, ACME, 1);
  expect(await sim.admin.setSettings({ apiVariant: 'full' })).toMatchObject({ apiVariant: 'full' });
  try {
    const full = await getOrder(order.id, acme);
    expect(full.body.data).toMatchObject({ total: expect.any(String), currency: 'EUR', payment_method: null });
    expect(shapeDifferences(full.body, documentedFixture('order'))).toEqual(
      expect.arrayContaining([
        '$.data.created_at: not in the example',
        '$.data.payment_method: null where the example has string',
      ]),
    );
    expect((await call(sim.url, 'GET', `${ORDERS}?organisation=${ACME.organisation}`, { token: acme })).status).toBe(
      200,
    );
  } finally {
    await sim.admin.setSettings({ apiVariant: 'documented' });
  }
  expect((await call(sim.url, 'GET', `${ORDERS}?organisation=${ACME.organisation}`, { token: acme })).status).toBe(404);
  const refused = await call(sim.url, 'PUT', '/__sim/settings', { body: { apiVariant: 'openapi' } });
  expect(refused.status).toBe(400);
  expect(refused.body.errors[0].field).toBe('apiVariant');
});

test('--api-variant documented on the command line; an admin change of the variant survives a restart', async () => {
  const documented = await spawnSimulator({ args: ['--items', '100', '--api-variant', 'documented'] });
  try {
    expect((await documented.admin.settings()).apiVariant).toBe('documented');
    const token = await getToken(documented.url, ACME);
    const order = await createOrder(
      documented.url,
      token,
      ACME.organisation,
      ACME.contract,
      await findItems(documented.url, token, ACME.contract, 1),
    );
    expect(order.payment_method).toBe('');
    expect((await call(documented.url, 'POST', BATCH_V1, { token, body: { items: [] } })).status).toBe(404);
  } finally {
    await documented.stop();
  }

  const switched = await spawnSimulator({ args: ['--items', '100'] });
  expect((await switched.admin.settings()).apiVariant).toBe('full');
  await switched.admin.setSettings({ apiVariant: 'documented' });
  await switched.stop();
  const restarted = await switched.restart();
  try {
    expect((await restarted.admin.settings()).apiVariant).toBe('documented');
  } finally {
    await restarted.stop();
  }

  await expect(spawnSimulator({ args: ['--api-variant', 'openapi'] })).rejects.toThrow(/exited with code 2/);
});
