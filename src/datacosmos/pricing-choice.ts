/**
 * Which price endpoint a client uses. The v1 batch price has a documented path but an undocumented body and
 * reply; the v0 per-item price is documented. `auto` tries the batch: when it answers 404/405 or a reply that
 * cannot be read, the same items are priced with v0; if v0 prices them all, the batch is not served here and the
 * client keeps to v0 from then on, saying so once. (A 404 can also mean an unknown item: then v0 fails too, and
 * its error is the answer.)
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
    let batchError: DataCosmosError;
    try {
      const prices = await batch();
      this.batchWorks = true;
      return prices;
    } catch (error) {
      if (!(error instanceof DataCosmosError) || (error.kind !== 'unsupported' && error.kind !== 'schema')) throw error;
      batchError = error;
    }
    const prices = await perItem();
    // Concurrent first quotes may all have failed the batch; the fallback is told once.
    if (this.batchWorks === undefined) {
      this.batchWorks = false;
      this.onFallback?.(`v1 batch pricing is not usable (${batchError.message}); pricing each item with the v0 price`);
    }
    return prices;
  }
}
