/** How many GET-order requests per second the simulator answers with faults off. */
import { Pool } from 'undici';
import { DataCosmosClient } from '../src/datacosmos';
import type { LineItem } from '../src/shared/purchase-types';
import { percentile, round } from '../harness/stats';
import { ACCOUNT } from './stack';

export interface SimCapacity {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  connections: number;
  seconds: number;
}

export async function measureSimulatorCapacity(
  simulatorUrl: string,
  item: LineItem,
  seconds: number,
): Promise<SimCapacity> {
  const api = new DataCosmosClient({ apiUrl: simulatorUrl, authUrl: simulatorUrl, ...ACCOUNT });
  const order = await api.createOrder({
    type: 'IMAGE',
    data: { order_line_items: [item] },
    organisation: ACCOUNT.organisationId,
    contract_id: 5001,
  });
  const token = await api.getToken();
  await api.close();
  const connections = 32;
  const pool = new Pool(simulatorUrl, { connections, pipelining: 1 });
  const path = `/api/data/v0/order/orders/${order.id}`;
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections * 2 }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const res = await pool.request({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } });
        await res.body.dump();
        if (res.statusCode !== 200) throw new Error(`GET order answered ${res.statusCode}`);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsedS = (performance.now() - started) / 1000;
  await pool.close();
  return {
    requestsPerSecond: round(latencies.length / elapsedS, 0),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    requests: latencies.length,
    connections,
    seconds: round(elapsedS, 1),
  };
}
