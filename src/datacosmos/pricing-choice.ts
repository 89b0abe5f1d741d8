/**
 * Which price endpoint a client uses. The v1 batch price has a documented path but an undocumented body and
 * reply; the v0 per-item price is documented. `auto` tries the batch once: when it is not served (404/405) or
 * its reply cannot be read, the client keeps to v0 from then on and says so once.
 */
import { DataCosmosError } from './errors';
import type { PricingMode } from './options';

export class PricingChoice {
  private batchWorks: boolean | undefined;

  constructor(
    mode: PricingMode,
    private readonly onFallback?: (reason: string) => void,
  ) {
    if (mode !== 'auto') this.batchWorks = mode === 'v1-batch';
  }

  async price<T>(batch: () => Promise<T>, perItem: () => Promise<T>): Promise<T> {
    if (this.batchWorks === false) return perItem();
    if (this.batchWorks === true) return batch();
    try {
      const prices = await batch();
      this.batchWorks = true;
      return prices;
    } catch (error) {
      if (!(error instanceof DataCosmosError) || (error.kind !== 'unsupported' && error.kind !== 'schema')) throw error;
      // Concurrent first quotes may all fail the batch; the fallback is told once.
      if (this.batchWorks === undefined) {
        this.batchWorks = false;
        this.onFallback?.(`v1 batch pricing is not usable (${error.message}); pricing each item with the v0 price`);
      }
      return perItem();
    }
  }
}
