/** Budgets and approval, cancellation at each stage, and purchases that fail for good with the API's reason. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { approveUpdate, cancelSignal } from '../src/shared/purchase-messages';
import { expectInvalidInput } from './support/failure';
import { expectReplays } from './support/histories';
import { onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';
import { CIRRUS, holdRequests } from '../harness/simulator';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started));

async function ordersOf(purchaseItems: Array<{ item: string }>): Promise<unknown[]> {
  const wanted = new Set(purchaseItems.map((i) => i.item));
  return (await env.admin.orders(1001)).filter((o) => o.items.some((i) => wanted.has(i.item)));
}

describe('budget and approval', () => {
  test('over budget with approval "reject" ends REJECTED and orders nothing', async () => {
    const items = await env.items(1);
    const result = await (await env.buy({ items, budget: { maxTotal: '0.01', approval: 'reject' } })).result();
    expect(result.end).toBe('REJECTED');
    expect(result.reason).toMatch(/^total \d+(\.\d+)? EUR is over the budget of 0.01 EUR$/);
    expect(await ordersOf(items)).toEqual([]);
  });

  test('within budget goes straight through', async () => {
    const result = await (
      await env.buy({ items: await env.items(1), budget: { maxTotal: '100000', approval: 'reject' } })
    ).result();
    expect(result.end).toBe('COMPLETED');
  });

  test('approved by update: waits in AWAITING_APPROVAL, then buys', async () => {
    const handle = await env.buy({ items: await env.items(1), budget: { maxTotal: '0.01', approval: 'wait' } });
    const waiting = await env.waitForStage(handle, 'AWAITING_APPROVAL');
    expect(waiting.approval).toBe('PENDING');
    const after = await handle.executeUpdate(approveUpdate, { args: [{ approved: true }] });
    expect(after.approval).toBe('PENDING'); // the decision is applied by the workflow right after the update
    const result = await handle.result();
    expect(result.end).toBe('COMPLETED');
    expect((await env.status(handle)).approval).toBe('APPROVED');
  });

  test('prices that rose while it waited for approval are approved again before anything is ordered', async () => {
    const items = await env.items(1);
    const handle = await env.buy({ items, budget: { maxTotal: '0.01', approval: 'wait' } });
    const first = await env.waitForStage(handle, 'AWAITING_APPROVAL');
    await env.admin.setSettings({ rateFactor: '2' });
    try {
      await handle.executeUpdate(approveUpdate, { args: [{ approved: true }] });
      // Priced again after the approval: twice the approved total, so it asks again instead of ordering.
      const again = await env.waitForStage(handle, 'AWAITING_APPROVAL', (s) => s.total !== first.total);
      expect(Number(again.total)).toBeCloseTo(2 * Number(first.total), 1); // each price rounded to cents
      expect(again.lastError ?? '').toContain(`is above the ${first.total} EUR approved`);
      expect(await ordersOf(items)).toEqual([]);
      await handle.executeUpdate(approveUpdate, { args: [{ approved: true }] });
      expect(await handle.result()).toMatchObject({ end: 'COMPLETED', total: again.total });
    } finally {
      await env.admin.setSettings({ rateFactor: '1' });
    }
  });

  test('denied by update ends REJECTED with the note, nothing ordered', async () => {
    const items = await env.items(1);
    const handle = await env.buy({ items, budget: { maxTotal: '0.01', approval: 'wait' } });
    await env.waitForStage(handle, 'AWAITING_APPROVAL');
    await handle.executeUpdate(approveUpdate, { args: [{ approved: false, note: 'too dear' }] });
    const result = await handle.result();
    expect(result.end).toBe('REJECTED');
    expect(result.reason).toContain('approval denied: too dear');
    expect(await ordersOf(items)).toEqual([]);
  });

  test('no decision before the approval timeout ends REJECTED', async () => {
    const result = await (
      await env.buy({
        items: await env.items(1),
        budget: { maxTotal: '0.01', approval: 'wait', approvalTimeoutMs: 500 },
      })
    ).result();
    expect(result.end).toBe('REJECTED');
    expect(result.reason).toContain('no approval within 500ms');
  });

  test('approve is refused by its validator when nothing awaits approval', async () => {
    const handle = await env.buy({ items: await env.items(1) });
    await handle.result();
    const running = await env.buy({ items: await env.items(1), budget: { maxTotal: '0.01', approval: 'wait' } });
    await env.waitForStage(running, 'AWAITING_APPROVAL');
    await running.executeUpdate(approveUpdate, { args: [{ approved: true }] });
    const second = running.executeUpdate(approveUpdate, { args: [{ approved: true }] });
    await expect(second).rejects.toThrow(WorkflowUpdateFailedError);
    await expect(second).rejects.toMatchObject({
      cause: { message: expect.stringContaining('nothing awaits approval') },
    });
    expect((await running.result()).end).toBe('COMPLETED');
  });

  test('a budget in another currency than the contract is refused as bad input, before ordering', async () => {
    const handle = await env.buy({
      items: await env.items(1),
      budget: { maxTotal: '10', currency: 'USD', approval: 'reject' },
    });
    await expectInvalidInput(handle, "invalid purchase: budget currency USD differs from contract 5001's currency EUR");
  });
});

describe('cancel', () => {
  test('while awaiting approval: CANCELLED and no order created', async () => {
    const items = await env.items(1);
    const handle = await env.buy({ items, budget: { maxTotal: '0.01', approval: 'wait' } });
    await env.waitForStage(handle, 'AWAITING_APPROVAL');
    await handle.signal(cancelSignal, 'changed my mind');
    const result = await handle.result();
    expect(result).toMatchObject({
      end: 'CANCELLED',
      reason: 'cancelled: changed my mind; no order was created',
      orderId: null,
    });
    expect(await ordersOf(items)).toEqual([]);
  });

  test('while pricing: CANCELLED and no order created', async () => {
    try {
      const items = await env.items(1);
      const handle = await env.buy({ items });
      await holdRequests(env.admin, 'stac_search'); // pricing looks the items up in the catalog
      await env.waitForStage(handle, 'PRICING');
      await handle.signal(cancelSignal);
      await env.admin.setFaults({});
      const result = await handle.result();
      expect(result).toMatchObject({ end: 'CANCELLED', reason: 'cancelled; no order was created' });
      expect(await ordersOf(items)).toEqual([]);
    } finally {
      await env.admin.setFaults({});
    }
  });

  test('while the order is being created: the create finishes, nothing is paid, the order id is reported', async () => {
    try {
      const items = await env.items(1);
      const handle = await env.buy({ items });
      await holdRequests(env.admin, 'order_create');
      await env.waitForStage(handle, 'ORDERING');
      await handle.signal(cancelSignal);
      await env.admin.setFaults({});
      const result = await handle.result();
      expect(result.end).toBe('CANCELLED');
      expect(result.reason).toBe(`cancelled; order ${result.orderId} was left UNPAID`);
      const orders = (await ordersOf(items)) as Array<{ id: string; status: string; checkout_count: number }>;
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ id: result.orderId, status: 'UNPAID', checkout_count: 0 });
    } finally {
      await env.admin.setFaults({});
    }
  });

  test('while awaiting payment: CANCELLED with the order left UNPAID; a Temporal cancel does the same', async () => {
    await env.admin.setCredits(1001, '0');
    try {
      const bySignal = await env.buy({ items: await env.items(1) });
      await env.waitForStage(bySignal, 'AWAITING_PAYMENT');
      await bySignal.signal(cancelSignal);
      const r1 = await bySignal.result();
      expect(r1).toMatchObject({ end: 'CANCELLED', orderStatus: 'UNPAID' });

      const byTemporal = await env.buy({ items: await env.items(1) });
      await env.waitForStage(byTemporal, 'AWAITING_PAYMENT');
      await byTemporal.cancel();
      const r2 = await byTemporal.result();
      expect(r2.end).toBe('CANCELLED');
      expect(r2.reason).toContain('cancel requested through Temporal');
    } finally {
      await env.admin.setCredits(1001, '100000');
    }
  });

  test('a payment made before the cancel was seen: the order is read once more and the purchase COMPLETES', async () => {
    await env.admin.setCredits(1001, '0');
    try {
      // Polls far apart: only the look the cancel makes can see the payment.
      const slow = { firstMs: 600_000, factor: 1, capMs: 600_000 };
      const handle = await env.buy({ items: await env.items(1), poll: slow });
      const waiting = await env.waitForStage(handle, 'AWAITING_PAYMENT', (s) => s.polls >= 1);
      await env.admin.payOrder(waiting.orderId as string);
      await handle.signal(cancelSignal);
      const result = await handle.result();
      expect(result).toMatchObject({ end: 'COMPLETED', orderId: waiting.orderId, orderStatus: 'PAID', polls: 2 });
      expect(result.reason).toBe(`order ${waiting.orderId} was paid before the cancel (cancelled) could stop it`);
      await expectReplays(handle);
    } finally {
      await env.admin.setCredits(1001, '100000');
    }
  });
});

describe('failures for good', () => {
  test('an unknown item fails with the item named, nothing ordered', async () => {
    const result = await (
      await env.buy({ items: [{ collection: 'menut-l1c-cogs', item: 'NO_SUCH_ITEM', level: 'L1C' }] })
    ).result();
    expect(result.end).toBe('FAILED');
    expect(result.reason).toContain('NO_SUCH_ITEM');
    expect(result.orderId).toBeNull();
  });

  test('an inactive contract and one outside its order window fail clearly', async () => {
    const inactive = await (await env.buy({ items: await env.items(1), contractId: 5003 })).result();
    expect(inactive).toMatchObject({ end: 'FAILED', reason: 'contract 5003 is not active' });
    const ended = await (await env.buy({ items: await env.items(1), contractId: 5004 })).result();
    expect(ended.end).toBe('FAILED');
    expect(ended.reason).toMatch(/^contract 5004 accepts orders only from .* to 2024/);
    const foreign = await (await env.buy({ items: await env.items(1), contractId: 6001 })).result();
    expect(foreign).toMatchObject({ end: 'FAILED', reason: 'contract 6001 does not belong to organisation 1001' });
  });

  test('invalid input sent straight to Temporal fails in VALIDATING, before any call', async () => {
    await env.admin.clearStats();
    const handle = await env.buy({
      items: [
        { collection: 'c', item: 'i' },
        { collection: 'c', item: 'i' },
      ],
    });
    await expectInvalidInput(handle, 'invalid purchase: items[1]: duplicate item c/i');
    // The claim registries of earlier tests read the orders they watch now and then; nothing else may be called.
    const { endpoints } = await env.admin.stats();
    const calls = Object.entries(endpoints).filter(
      ([name, counts]) => !['order_get', 'token'].includes(name) && (counts?.requests ?? 0) > 0,
    );
    expect(calls).toEqual([]);
  });
});

test('insufficient credits where card payment is refused: FAILED with the API message', async () => {
  const cirrus = await PurchaseEnv.start({ account: CIRRUS, sim: env.sim });
  try {
    await env.admin.setCredits(1003, '0');
    const result = await (await cirrus.buy({ items: await cirrus.items(1) })).result();
    expect(result.end).toBe('FAILED');
    expect(result.reason).toMatch(/order_checkout POST failed \(402\): Insufficient credits/);
    expect(result.orderStatus).toBe('UNPAID');
  } finally {
    await cirrus.close();
  }
});
