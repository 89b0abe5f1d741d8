/**
 * A purchase that Temporal ended rather than the purchase itself (terminated by an operator, timed out, or cancelled
 * as a workflow) returned no result: what it published last, its search attributes, is what is known. An
 * order it made may still be UNPAID and payable, or PAID since.
 */
import type { WorkflowExecutionDescription } from '@temporalio/client';
import { DataCosmosOrderIdKey, OrderStatusKey, PurchaseStageKey } from '../shared/search-attributes';

export interface EndedInTemporal {
  purchaseId: string;
  /** How Temporal ended it: TERMINATED, TIMED_OUT or CANCELLED. */
  endedInTemporal: string;
  closedAt: string | null;
  /** The stage it last published. */
  stage: string | null;
  orderId: string | null;
  /** The order's status as the purchase last read it. */
  orderStatus: string | null;
}

export function endedInTemporal(description: WorkflowExecutionDescription): EndedInTemporal {
  const attributes = description.typedSearchAttributes;
  return {
    purchaseId: description.workflowId,
    endedInTemporal: description.status.name,
    closedAt: description.closeTime?.toISOString() ?? null,
    stage: attributes.get(PurchaseStageKey) ?? null,
    orderId: attributes.get(DataCosmosOrderIdKey) ?? null,
    orderStatus: attributes.get(OrderStatusKey) ?? null,
  };
}

export function formatEndedInTemporal(ended: EndedInTemporal): string {
  const lines = [
    `purchase ${ended.purchaseId}: ${ended.endedInTemporal} in Temporal${ended.closedAt ? ` at ${ended.closedAt}` : ''}, not ended by the purchase`,
    `  last stage: ${ended.stage ?? '-'}`,
  ];
  if (ended.orderId) {
    lines.push(
      `  order:      ${ended.orderId} ${ended.orderStatus ?? ''}`.trimEnd(),
      '  its order may since be PAID, or still payable: `dcp orders` shows it as DataCosmos has it',
    );
  } else lines.push('  no order was made');
  return lines.join('\n');
}
