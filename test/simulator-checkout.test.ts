/** Checkout: credits covering the order, card payment links, 402 without card payments, and never charging twice. */
import { OrderResponse } from '../src/datacosmos/api-schemas';
import { subtract } from '../src/shared/money';
import { checkout, createOrder, findItems, orderCatalogItems } from './support/orders';
import { ACME, BLUE_FIELDS, CIRRUS, getToken, type InProcessSimulator } from '../harness/simulator';
import { oneSimulatorPerFile } from './support/one-simulator';

let sim: InProcessSimulator;
oneSimulatorPerFile({ items: 600 }, (ready) => (sim = ready.sim));

test('credits that cover the total: PAID, NOT_REQUIRED, empty link, balance reduced once across repeated checkouts', async () => {
  const token = await getToken(sim.url, ACME);
  const [item] = await findItems(sim.url, token, ACME.contract, 1);
  const order = await createOrder(sim.url, token, ACME.organisation, ACME.contract, [item]);
  const before = await sim.admin.credits(ACME.organisation);
  const first = await checkout(sim.url, token, order.id);
  expect(first.status).toBe(200);
  expect(first.body.data).toMatchObject({
    status: 'PAID',
    payment_method: 'NOT_REQUIRED',
    checkout_redirect_url: '',
    checkout_url: '',
  });
  const second = await checkout(sim.url, token, order.id);
  expect(second.body.data).toEqual(first.body.data);
  expect(await sim.admin.credits(ACME.organisation)).toBe(subtract(before, order.total));
  const audit = (await sim.admin.orders(ACME.organisation)).find((o) => o.id === order.id)!;
  expect(audit).toMatchObject({ checkout_count: 2, charged: order.total, status: 'PAID' });
  expect(audit.paid_at).toBeTruthy();
});

test('credits short and card payments allowed: UNPAID, CARD, the same checkout link on every call', async () => {
  const token = await getToken(sim.url, BLUE_FIELDS);
  const order = await orderCatalogItems(sim.url, token, BLUE_FIELDS, 2);
  const first = OrderResponse.parse((await checkout(sim.url, token, order.id)).body).data;
  expect(first).toMatchObject({ status: 'UNPAID', payment_method: 'CARD' });
  expect(first.checkout_url).toMatch(new RegExp(`^${sim.url}/checkout/[\\w-]+$`));
  expect(first.checkout_redirect_url).toBe(first.checkout_url);
  const again = OrderResponse.parse((await checkout(sim.url, token, order.id)).body).data;
  expect(again.checkout_url).toBe(first.checkout_url);
  expect(await sim.admin.credits(BLUE_FIELDS.organisation)).toBe('0');
});

test('credits short and card payments disabled: 402 Insufficient credits, order unchanged; then covered after a top-up', async () => {
  const token = await getToken(sim.url, CIRRUS);
  const items = await findItems(sim.url, token, CIRRUS.contract, 3);
  const order = await createOrder(sim.url, token, CIRRUS.organisation, CIRRUS.contract, items);
  await sim.admin.setCredits(CIRRUS.organisation, '1');
  const refused = await checkout(sim.url, token, order.id);
  expect(refused.status).toBe(402);
  expect(refused.body.errors[0].message).toMatch(/^Insufficient credits/);
  const audit = (await sim.admin.orders(CIRRUS.organisation)).find((o) => o.id === order.id)!;
  expect(audit).toMatchObject({ status: 'UNPAID', payment_method: null, checkout_count: 0, charged: '0' });
  await sim.admin.setCredits(CIRRUS.organisation, order.total);
  expect((await checkout(sim.url, token, order.id)).body.data.status).toBe('PAID');
  expect(await sim.admin.credits(CIRRUS.organisation)).toBe('0');
});

test('a cancelled order cannot be checked out (409)', async () => {
  const token = await getToken(sim.url, ACME);
  const order = await orderCatalogItems(sim.url, token, ACME, 1);
  await sim.admin.cancelOrder(order.id);
  expect((await checkout(sim.url, token, order.id)).status).toBe(409);
});
