/** The card checkout page: paying marks the order PAID once; an unpaid session expires and cancels the order. */
import { setTimeout as sleep } from 'node:timers/promises';
import { checkout, orderCatalogItems } from './support/orders';
import { BLUE_FIELDS, call, type InProcessSimulator } from '../harness/simulator';
import { oneSimulatorPerFile } from './support/one-simulator';

let sim: InProcessSimulator;
let token: string;
oneSimulatorPerFile({ items: 300, account: BLUE_FIELDS }, (ready) => ({ sim, token } = ready));

async function cardCheckout() {
  const order = await orderCatalogItems(sim.url, token, BLUE_FIELDS, 2);
  const link: string = (await checkout(sim.url, token, order.id)).body.data.checkout_url;
  return { order, path: link.slice(sim.url.length) };
}

test('the page shows the order and a Pay form; paying marks it PAID by card, once', async () => {
  const { order, path } = await cardCheckout();
  const page = await call(sim.url, 'GET', path);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/text\/html/);
  expect(page.text).toContain(order.id);
  expect(page.text).toContain(`${order.total} GBP`);
  expect(page.text).toContain(`action="${path}/pay"`);
  expect(page.text).toMatch(/<button[^>]*>Pay<\/button>/);

  expect((await call(sim.url, 'POST', `${path}/pay`)).status).toBe(200);
  const paid = (await call(sim.url, 'GET', `/api/data/v0/order/orders/${order.id}`, { token })).body.data;
  expect(paid).toMatchObject({ status: 'PAID', payment_method: 'CARD' });
  expect(paid.payment_reference_number).toMatch(/^pi_sim_/);
  const again = await call(sim.url, 'POST', `${path}/pay`);
  expect(again.status).toBe(200);
  expect(again.text).toContain(paid.payment_reference_number);
  const audit = (await sim.admin.orders(BLUE_FIELDS.organisation)).find((o) => o.id === order.id)!;
  expect(audit.charged).toBe(order.total);
  expect((await checkout(sim.url, token, order.id)).body.data.status).toBe('PAID');
});

test('an unpaid session expires: the order is CANCELLED and the page answers 410', async () => {
  await sim.admin.setSettings({ checkoutTtlS: 0.5 });
  try {
    const swept = await cardCheckout();
    const lazy = await cardCheckout();
    await sleep(1300);
    // The sweeper cancelled one without any read of it...
    const audit = (await sim.admin.orders(BLUE_FIELDS.organisation)).find((o) => o.id === swept.order.id)!;
    expect(audit.status).toBe('CANCELLED');
    // ...and every read path sees the other as cancelled too.
    expect((await call(sim.url, 'POST', `${lazy.path}/pay`)).status).toBe(410);
    expect((await call(sim.url, 'GET', swept.path)).status).toBe(410);
    expect((await call(sim.url, 'GET', `/api/data/v0/order/orders/${lazy.order.id}`, { token })).body.data.status).toBe(
      'CANCELLED',
    );
    expect((await checkout(sim.url, token, lazy.order.id)).status).toBe(409);
  } finally {
    await sim.admin.setSettings({ checkoutTtlS: 86400 });
  }
});

test('an unknown session is 404', async () => {
  expect((await call(sim.url, 'GET', '/checkout/nope')).status).toBe(404);
});
