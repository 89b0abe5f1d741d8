/**
 * After PAID: the files, when asked for, of the items bought and of those found owned already (a PAID order holds
 * them, so storage serves them). A failed delivery is reported per item; the purchase keeps its end.
 */
import { ActivityFailure } from '@temporalio/workflow';
import type { DeliverOptions, ItemDelivery } from '../shared/delivery-types';
import { failureMessage } from '../shared/step-failures';
import type { PurchaseRecord } from './purchase-record';
import { deliverySteps } from './purchase-steps';

export async function deliverFiles(
  record: PurchaseRecord,
  deliver: DeliverOptions | undefined,
  bought: boolean,
): Promise<ItemDelivery[] | undefined> {
  const { lineItems, dropped } = record.status;
  const owned = dropped.filter((d) => d.outcome === 'ALREADY_OWNED');
  const lines = [...(bought ? lineItems : []), ...owned];
  if (!deliver || lines.length === 0) return undefined;
  record.setStage('DELIVERING');
  const items = lines.map(({ collection, item }) => ({ collection, item }));
  try {
    return await deliverySteps(deliver.heartbeatTimeoutMs ?? 30_000).deliverItems({ dir: deliver.dir, items });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const reason = `delivery failed: ${failureMessage(err)}`;
    return items.map((line) => ({ ...line, state: 'FAILED' as const, files: [], reason }));
  }
}
