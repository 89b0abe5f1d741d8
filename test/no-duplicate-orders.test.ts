/**
 * The create step has no idempotency key, so a lost reply, a reset or a 5xx must never turn into a
 * second order: every purchase ends with exactly one order in the simulator's audit, and the credits
 * charged equal the totals of the paid orders.
 */
import { add, subtract } from '../src/shared/money';
import { onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));

test('every create reply lost: the retry adopts the order, exactly one exists', async () => {
  await env.admin.setFaults({ seed: 3, endpoints: { order_create: { lostReply: 1 } } });
  try {
    const items = await env.items(2);
    const result = await (await env.buy({ items })).result();
    expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID' });
    const orders = await env.admin.ordersHolding(1001, items[0].item);
    expect(orders.map((o) => o.id)).toEqual([result.orderId]);
    expect((await env.admin.stats()).endpoints.order_list?.requests).toBeGreaterThanOrEqual(1);
  } finally {
    await env.admin.setFaults({});
  }
});

test('many purchases through lost replies, resets, 5xx and 429s: one order each, credits exact', async () => {
  const startCredits = await env.admin.credits(1001);
  const known = new Set((await env.admin.orders(1001)).map((o) => o.id));
  const catalog = await env.items(12);
  await env.admin.setFaults({
    seed: 11,
    endpoints: {
      order_create: { lostReply: 0.3, reset: 0.15, error5xx: 0.15 },
      order_checkout: { lostReply: 0.2, error5xx: 0.2 },
      price_batch: { rateLimit429: 0.3, retryAfterS: 1 },
      order_list: { error5xx: 0.2 },
    },
  });
  try {
    const purchases = await Promise.all(
      catalog.map(async (item) => {
        const items = [item];
        return { items, result: await (await env.buy({ items })).result() };
      }),
    );
    const orders = (await env.admin.orders(1001)).filter((o) => !known.has(o.id));
    for (const { items, result } of purchases) {
      expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID' });
      const mine = orders.filter((o) => o.items.some((i) => i.item === items[0].item));
      expect(mine.map((o) => o.id)).toEqual([result.orderId]);
    }
    expect(orders).toHaveLength(purchases.length);
    const charged = add(...orders.map((o) => o.total as string));
    expect(await env.admin.credits(1001)).toBe(subtract(startCredits, charged));
  } finally {
    await env.admin.setFaults({});
  }
}, 120_000);
