/**
 * After PAID: the files, when asked for, of the items bought and of those found owned already (a PAID order holds
 * them, so storage serves them), each with the order that holds it. A failed delivery is reported per item; the
 * purchase keeps its end. `dcp redeliver` runs the same step again (redelivery.ts).
 */
import { ActivityFailure } from '@temporalio/workflow';
import type { DeliverOptions, DeliveryLine, ItemDelivery } from '../shared/delivery-types';
import { deliveryLines } from '../shared/delivery-lines';
import { failureMessage } from '../shared/step-failures';
import type { PurchaseRecord } from './purchase-record';
import { deliverySteps } from './purchase-steps';

export async function deliverFiles(
  record: PurchaseRecord,
  deliver: DeliverOptions | undefined,
  bought: boolean,
): Promise<ItemDelivery[] | undefined> {
  const lines = deliveryLines(record.status, bought);
  if (!deliver || lines.length === 0) return undefined;
  record.setStage('DELIVERING');
  return deliverLines(deliver, lines);
}

/** One delivery activity for these items; when it fails for good, every item is reported FAILED with the reason. */
export async function deliverLines(deliver: DeliverOptions, lines: DeliveryLine[]): Promise<ItemDelivery[]> {
  const destination = deliver.s3 ? { s3: deliver.s3 } : { dir: deliver.dir };
  try {
    return await deliverySteps(deliver.heartbeatTimeoutMs ?? 30_000).deliverItems({ ...destination, items: lines });
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const reason = `delivery failed: ${failureMessage(err)}`;
    return lines.map(({ collection, item }) => ({ collection, item, state: 'FAILED' as const, files: [], reason }));
  }
}
