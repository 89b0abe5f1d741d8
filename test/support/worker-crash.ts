/** A purchase through a worker crash: its worker process killed while the simulator holds one of its requests. */
import { holdRequests, type InProcessSimulator } from '../../harness/simulator';
import { kill9 } from './kill';
import { PurchaseEnv } from './purchase-env';

/**
 * Buys one item on a worker process that is killed while the simulator holds the purchase's `endpoint` request; a
 * new worker process finishes it. Returns the result and the ids of the organisation's orders holding the item.
 */
export async function buyThroughWorkerKill(sim: InProcessSimulator, endpoint: string) {
  const env = await PurchaseEnv.start({ sim, worker: false });
  let worker = env.spawnWorkerProcess();
  try {
    const [item] = await env.items(1);
    const handle = await env.buy({ items: [item] });
    await holdRequests(sim.admin, endpoint);
    await kill9(worker);
    await sim.admin.setFaults({});
    worker = env.spawnWorkerProcess();
    const result = await handle.result();
    const orders = await sim.admin.ordersHolding(env.account.organisation, item.item);
    return { result, orderIds: orders.map((o) => o.id) };
  } finally {
    await kill9(worker);
    await env.close();
  }
}
