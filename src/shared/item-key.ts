/** The one key of a catalog item across the product: `COLLECTION/ITEM` (a STAC collection and item id). */
export function itemKey(line: { collection: string; item: string }): string {
  return `${line.collection}/${line.item}`;
}
