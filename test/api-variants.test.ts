/**
 * The purchase scenarios against both simulator variants: `full` (every field the product can use) and
 * `documented` (replies exactly as the DataCosmos docs' examples: no created_at, payment_method "" while unpaid,
 * checkout replies {checkout_url}, no v1 batch price, no order list). In every documented payment flow a purchase
 * ends COMPLETED with exactly one order, configured through the product's environment variables alone; a create
 * whose outcome cannot be settled rests in NEEDS_ATTENTION, never a second order, never FAILED while paid.
 */
import { formatBatchResult, loadBatchReport } from '../src/cli/batch-report';
import { adoptOrderUpdate, approveUpdate, paymentCompletedSignal } from '../src/shared/purchase-messages';
import { runBatch } from './support/batch-env';
import { PurchaseEnv } from './support/purchase-env';
import { ACME, BLUE_FIELDS, startInProcess, type InProcessSimulator } from '../harness/simulator';
import { buyThroughWorkerKill } from './support/worker-crash';

const VARIANTS = ['full', 'documented'] as const;

describe.each(VARIANTS)('the %s API', (variant) => {
  let sim: InProcessSimulator;
  let acme: PurchaseEnv;
  let blue: PurchaseEnv;

  beforeAll(async () => {
    sim = await startInProcess();
    await sim.admin.setSettings({ apiVariant: variant });
    acme = await PurchaseEnv.start({ sim });
    blue = await PurchaseEnv.start({ sim, account: BLUE_FIELDS });
  }, 60_000);

  afterAll(async () => {
    await acme?.close();
    await blue?.close();
    await sim?.close();
  });

  const ordersOf = (organisation: number, item: string) => sim.admin.ordersHolding(organisation, item);

  test('credits at checkout: COMPLETED, one order, credits charged', async () => {
    const items = await acme.items(1);
    const before = await sim.admin.credits(ACME.organisation);
    const result = await (await acme.buy({ items })).result();
    expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID' });
    const orders = await ordersOf(ACME.organisation, items[0].item);
    expect(orders.map((o) => o.id)).toEqual([result.orderId]);
    expect(Number(before) - Number(await sim.admin.credits(ACME.organisation))).toBeCloseTo(Number(orders[0].total), 2);
  });

  test('credits at create: the order is PAID in the create reply and no checkout is made', async () => {
    await sim.admin.setSettings({ creditsAt: 'create' });
    try {
      const items = await acme.items(1);
      await sim.admin.clearStats();
      const result = await (await acme.buy({ items })).result();
      expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID', paymentMethod: 'NOT_REQUIRED' });
      expect((await ordersOf(ACME.organisation, items[0].item)).map((o) => o.id)).toEqual([result.orderId]);
      const { endpoints } = await sim.admin.stats();
      expect(endpoints.order_create.requests).toBe(1);
      expect(endpoints.order_checkout).toBeUndefined();
    } finally {
      await sim.admin.setSettings({ creditsAt: 'checkout' });
    }
  });

  test('card paid later: the payment link is shown, the payment is seen, COMPLETED with one order', async () => {
    const items = await blue.items(1);
    const handle = await blue.buy({ items });
    const waiting = await blue.waitForStage(handle, 'AWAITING_PAYMENT');
    expect(waiting.checkoutUrl).toMatch(/\/checkout\//);
    expect(waiting.orderStatus).toBe('UNPAID');
    await sim.admin.payOrder(waiting.orderId as string);
    await handle.signal(paymentCompletedSignal);
    const result = await handle.result();
    expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID', orderId: waiting.orderId });
    expect(await ordersOf(BLUE_FIELDS.organisation, items[0].item)).toHaveLength(1);
  });

  test('over budget: approved by update, then bought', async () => {
    const handle = await acme.buy({ items: await acme.items(1), budget: { maxTotal: '0.01', approval: 'wait' } });
    await acme.waitForStage(handle, 'AWAITING_APPROVAL');
    await handle.executeUpdate(approveUpdate, { args: [{ approved: true }] });
    expect((await handle.result()).end).toBe('COMPLETED');
  });

  test('the create reply is lost: never a second order, never FAILED; settled by the list or by an operator', async () => {
    await sim.admin.setFaults({ seed: 1, endpoints: { order_create: { lostReply: 1 } } });
    const items = await acme.items(1);
    const handle = await acme.buy({ items });
    try {
      if (variant === 'documented') {
        // No order list to look in: the purchase says so and waits for an operator.
        const attention = await acme.waitForStage(handle, 'NEEDS_ATTENTION');
        expect(attention.attention?.reason).toMatch(/order list cannot tell/);
        expect(attention.orderId).toBeNull();
        const [order] = await ordersOf(ACME.organisation, items[0].item);
        await handle.executeUpdate(adoptOrderUpdate, { args: [{ orderId: order.id }] });
      }
      const result = await handle.result();
      expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID' });
      expect((await ordersOf(ACME.organisation, items[0].item)).map((o) => o.id)).toEqual([result.orderId]);
    } finally {
      await sim.admin.setFaults({});
    }
  });

  test('a batch buys its items, and says when what was bought outside this product cannot be seen', async () => {
    const items = await acme.items(2);
    const result = await (await runBatch(acme, { budget: '100000', items })).result();
    const report = await loadBatchReport(acme.client, result);
    expect(report.items.map((row) => row.outcome)).toEqual(['PAID', 'PAID']);
    expect(result.ownershipUnknown).toEqual(
      variant === 'documented' ? expect.stringMatching(/^orders paid outside this product cannot be seen: /) : null,
    );
    if (variant === 'documented') expect(formatBatchResult(report)).toContain(`note:   ${result.ownershipUnknown}`);
  });

  test('the worker is killed during checkout: a new worker finishes with exactly one order', async () => {
    const { result, orderIds } = await buyThroughWorkerKill(sim, 'order_checkout');
    expect(result).toMatchObject({ end: 'COMPLETED', orderStatus: 'PAID' });
    expect(orderIds).toEqual([result.orderId]);
  }, 60_000);
});
