/** Hands out distinct catalog items to benchmark purchases, so no two purchases buy the same image. */
import { DataCosmosClient } from '../src/datacosmos';
import type { LineItem } from '../src/shared/purchase-types';
import { ACME } from './simulator';

export class ItemSupply {
  private readonly items: LineItem[] = [];

  private constructor(private readonly api: DataCosmosClient) {}

  static async load(simulatorUrl: string, count: number): Promise<ItemSupply> {
    const api = new DataCosmosClient({
      apiUrl: simulatorUrl,
      authUrl: simulatorUrl,
      clientId: ACME.clientId,
      clientSecret: ACME.clientSecret,
    });
    const supply = new ItemSupply(api);
    for await (const page of api.searchAll({ limit: 1000 }, { maxItems: count })) {
      for (const item of page) {
        supply.items.push({
          collection: item.collection,
          item: item.id,
          level: item.properties['processing:level'] as string,
        });
      }
    }
    if (supply.items.length < count) throw new Error(`the catalog has ${supply.items.length} items, ${count} needed`);
    return supply;
  }

  take(count: number): LineItem[] {
    if (this.items.length < count) throw new Error('the benchmark ran out of distinct catalog items');
    return this.items.splice(0, count);
  }

  client(): DataCosmosClient {
    return this.api;
  }
}
