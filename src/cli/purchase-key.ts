/**
 * The purchase key (= workflow id) when none is given: a hash of what is bought, so buying the same
 * items again under the same organisation and contract finds the same purchase.
 */
import { createHash } from 'node:crypto';
import { itemKey } from '../shared/item-key';
import type { LineItemInput } from '../shared/purchase-types';

export function derivePurchaseId(
  organisationId: number,
  contractId: number | undefined,
  items: LineItemInput[],
): string {
  const lines = items.map(itemKey).sort();
  const digest = createHash('sha256')
    .update(JSON.stringify({ organisationId, contract: contractId ?? 'default', lines }))
    .digest('hex');
  return `purchase-${organisationId}-${digest.slice(0, 20)}`;
}
