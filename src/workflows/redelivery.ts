/**
 * `dcp redeliver`: the delivery step of a purchase that has ended, run again for its items, to its destination or
 * another one. Objects and files already delivered and verified are skipped; the rest are delivered.
 */
import { setWorkflowOptions } from '@temporalio/workflow';
import type { ItemDelivery, RedeliveryInput } from '../shared/delivery-types';
import { deliverLines } from './purchase-delivery';
import { versionedAs } from './versioning';

export async function redeliveryWorkflow(input: RedeliveryInput): Promise<ItemDelivery[]> {
  return deliverLines(input.deliver, input.items);
}

/** AUTO_UPGRADE: a delivery may retry for a day; it holds nothing a new build could not take up. */
setWorkflowOptions(versionedAs('AUTO_UPGRADE'), redeliveryWorkflow);
