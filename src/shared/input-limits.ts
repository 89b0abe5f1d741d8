/**
 * Limits on everything that comes from outside (command-line values, files, webhook bodies), checked before
 * anything is started, so an oversized input is refused with one line saying the limit instead of failing late.
 */
import { MAX_LINE_ITEMS } from './purchase-types';

export const LIMITS = {
  /** Purchase, batch, schedule and order ids; collection, item and level names. */
  idLength: 200,
  itemsPerPurchase: MAX_LINE_ITEMS,
  itemsPerFile: 50_000,
  fileBytes: 16 * 1024 * 1024,
  jsonDepth: 32,
  /** Free text (reasons, notes). */
  textLength: 1000,
  webhookBodyBytes: 256 * 1024,
} as const;

/** The deepest nesting of arrays and objects in a JSON text, read without parsing it (strings are skipped). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') deepest = Math.max(deepest, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return deepest;
}

/** Why this JSON text is refused before parsing (too deep), or null. */
export function jsonDepthProblem(text: string): string | null {
  const depth = jsonDepth(text);
  return depth > LIMITS.jsonDepth ? `JSON nested ${depth} levels deep, over the limit of ${LIMITS.jsonDepth}` : null;
}

/** An id or name: 1 to LIMITS.idLength characters, no whitespace or control characters. */
export function idProblem(value: string): string | null {
  if (value.length === 0) return 'must not be empty';
  if (value.length > LIMITS.idLength) return `is ${value.length} characters long, over the limit of ${LIMITS.idLength}`;
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(value)) return 'must not contain spaces or control characters';
  return null;
}
