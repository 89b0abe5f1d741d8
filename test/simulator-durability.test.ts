/** Durability: what was acknowledged survives kill -9 and a restart on the same data dir; reset goes back to the seed. */
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { checkout, createOrder, findItems, orderCatalogItems } from './support/orders';
import { ACME, BLUE_FIELDS, call, getToken, spawnSimulator } from '../harness/simulator';

test('orders, credits, checkout sessions and settings survive kill -9', async () => {
  const sim = await spawnSimulator({ args: ['--items', '300'] });
  const acme = await getToken(sim.url, ACME);
  const blue = await getToken(sim.url, BLUE_FIELDS);
  const [item] = await findItems(sim.url, acme, ACME.contract, 1);
  const paid = await createOrder(sim.url, acme, ACME.organisation, ACME.contract, [item]);
  await checkout(sim.url, acme, paid.id);
  const card = await orderCatalogItems(sim.url, blue, BLUE_FIELDS, 1);
  const link = (await checkout(sim.url, blue, card.id)).body.data.checkout_url as string;
  await sim.admin.setCredits(BLUE_FIELDS.organisation, '123.45');
  await sim.admin.setSettings({ creditsAt: 'create' });
  const acmeCredits = await sim.admin.credits(ACME.organisation);
  const before = await sim.admin.orders();
  await sim.kill9();
  // A torn write from the crash must not stop the restart.
  appendFileSync(path.join(sim.dataDir, 'journal.jsonl'), '{"k":"order","ord');

  const restarted = await sim.restart();
  try {
    expect(await restarted.admin.orders()).toEqual(before);
    expect(await restarted.admin.credits(BLUE_FIELDS.organisation)).toBe('123.45');
    expect(await restarted.admin.credits(ACME.organisation)).toBe(acmeCredits);
    expect((await restarted.admin.settings()).creditsAt).toBe('create');
    const sessionPath = link.slice(sim.url.length);
    expect((await call(restarted.url, 'GET', sessionPath)).status).toBe(200);
    expect(
      (await call(restarted.url, 'GET', `/api/data/v0/order/orders/${paid.id}`, { token: acme })).body.data.status,
    ).toBe('PAID');
    expect((await checkout(restarted.url, acme, paid.id)).body.data.status).toBe('PAID');
    expect(await restarted.admin.credits(ACME.organisation)).toBe(acmeCredits);

    await restarted.admin.reset();
    expect(await restarted.admin.orders()).toEqual([]);
    expect(await restarted.admin.credits(BLUE_FIELDS.organisation)).toBe('0');
    expect((await restarted.admin.settings()).creditsAt).toBe('checkout');
  } finally {
    await restarted.stop();
  }
  const afterReset = await sim.restart();
  try {
    expect(await afterReset.admin.orders()).toEqual([]);
  } finally {
    await afterReset.stop();
  }
});
