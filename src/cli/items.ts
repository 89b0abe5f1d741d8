/** Parses `--item COLLECTION/ITEM[@LEVEL]` arguments into line items. */
import type { LineItemInput } from '../shared/purchase-types';

export function parseItemArgument(text: string): LineItemInput {
  const match = /^([^/\s@]+)\/([^/\s@]+)(?:@([^/\s@]+))?$/.exec(text.trim());
  if (!match) throw new RangeError(`--item: "${text}" is not COLLECTION/ITEM or COLLECTION/ITEM@LEVEL`);
  const [, collection, item, level] = match;
  return level ? { collection, item, level } : { collection, item };
}
