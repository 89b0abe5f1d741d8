/**
 * The items a purchase delivers, each with the order that holds it: those it bought (its own order), and those it
 * found owned already (the owner's order). The workflow delivers them after PAID; `dcp redeliver` again later.
 */
import type { DeliveryLine } from './delivery-types';
import type { DroppedItem } from './purchase-types';

export function deliveryLines(
  purchase: { lineItems: Array<{ collection: string; item: string }>; dropped?: DroppedItem[]; orderId: string | null },
  bought: boolean,
): DeliveryLine[] {
  const owned = (purchase.dropped ?? []).filter((d) => d.outcome === 'ALREADY_OWNED');
  return [
    ...(bought ? purchase.lineItems.map((line) => lineOf(line, purchase.orderId)) : []),
    ...owned.map((d) => lineOf(d, d.orderId)),
  ];
}

function lineOf(line: { collection: string; item: string }, orderId: string | null): DeliveryLine {
  return { collection: line.collection, item: line.item, ...(orderId ? { orderId } : {}) };
}
