/**
 * The purchase key (= workflow id) when none is given: a hash of what is bought and where, so buying the same
 * items again under the same target (API and organisation) and contract finds the same purchase, and the same
 * items bought on another target (a test environment, the simulator) is another purchase.
 */
import { createHash } from 'node:crypto';
import { itemKey } from '../shared/item-key';
import type { LineItemInput } from '../shared/purchase-types';
import { targetName, type DataCosmosTarget } from '../shared/target';

export function derivePurchaseId(
  target: DataCosmosTarget,
  contractId: number | undefined,
  items: LineItemInput[],
): string {
  // A sub-area is part of what is bought: the same scene cut to another area is another purchase.
  const lines = items
    .map((line) => (line.geometry ? `${itemKey(line)} ${JSON.stringify(line.geometry)}` : itemKey(line)))
    .sort();
  const digest = createHash('sha256')
    .update(JSON.stringify({ target: targetName(target), contract: contractId ?? 'default', lines }))
    .digest('hex');
  return `purchase-${target.organisationId}-${digest.slice(0, 20)}`;
}
