/** Ledger atomicity: 50 concurrent checkouts against credits for only some of them never overdraw the balance. */
import { add, compare, subtract } from '../src/shared/money';
import { checkout, createOrder, findItems } from './support/orders';
import { CIRRUS, getToken, type InProcessSimulator } from '../harness/simulator';
import { oneSimulatorPerFile } from './support/one-simulator';

let sim: InProcessSimulator;
oneSimulatorPerFile({ items: 2000 }, (ready) => (sim = ready.sim));

test('balance never goes negative and equals start minus what was charged', async () => {
  const token = await getToken(sim.url, CIRRUS);
  const items = await findItems(sim.url, token, CIRRUS.contract, 50);
  const orders = [];
  for (const item of items)
    orders.push(await createOrder(sim.url, token, CIRRUS.organisation, CIRRUS.contract, [item]));
  // Enough for roughly a third of the orders.
  const start = orders.slice(0, 17).reduce((sum, o) => add(sum, o.total), '0');
  await sim.admin.setCredits(CIRRUS.organisation, start);

  const replies = await Promise.all(orders.map((o) => checkout(sim.url, token, o.id)));
  const paid = replies.filter((r) => r.status === 200);
  const refused = replies.filter((r) => r.status === 402);
  expect(paid.length + refused.length).toBe(50);
  expect(paid.length).toBeGreaterThan(0);
  expect(refused.length).toBeGreaterThan(0);

  const balance = await sim.admin.credits(CIRRUS.organisation);
  expect(compare(balance, '0')).toBeGreaterThanOrEqual(0);
  const audits = await sim.admin.orders(CIRRUS.organisation);
  const charged = audits.filter((o) => o.status === 'PAID').reduce((sum, o) => add(sum, o.charged), '0');
  expect(audits.filter((o) => o.status === 'PAID')).toHaveLength(paid.length);
  expect(balance).toBe(subtract(start, charged));
  // Whatever is left cannot pay for any refused order.
  for (const reply of refused) expect(reply.body.errors[0].message).toMatch(/Insufficient credits/);
  const unpaid = audits.filter((o) => o.status === 'UNPAID');
  for (const order of unpaid) expect(compare(balance, order.total)).toBe(-1);
});
