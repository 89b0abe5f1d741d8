/**
 * Validation of a purchase before anything is sent. Pure, so the CLI rejects bad input before starting
 * a workflow and the workflow re-checks input from any other client with the same rules.
 */
import { itemKey } from './item-key';
import { quoteValue } from './one-line';
import { compare, isDecimal } from './money';
import { isDurationMs } from './duration';
import { MAX_LINE_ITEMS, type PurchaseInput } from './purchase-types';
import { MAX_LINE_ITEMS_BYTES } from './purchase-groups';
import { notifyUrlProblems } from './notification-types';
import { jsonBytes } from './stored-pages';

const PURCHASE_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;
const CURRENCY = /^[A-Z]{3}$/;

/** Returns one message per problem, each naming the field; empty when the input is valid. */
export function purchaseInputProblems(input: PurchaseInput): string[] {
  const problems: string[] = [];
  if (!PURCHASE_ID.test(input.purchaseId ?? '')) {
    problems.push(
      'purchaseId: must be 1-200 characters of letters, digits and . _ : / -, starting with a letter or digit',
    );
  }
  const items = Array.isArray(input.items) ? input.items : [];
  if (items.length === 0) problems.push('items: at least one line item is required');
  if (items.length > MAX_LINE_ITEMS) problems.push(`items: at most ${MAX_LINE_ITEMS} line items per purchase`);
  const bytes = jsonBytes(items);
  if (bytes > MAX_LINE_ITEMS_BYTES) {
    problems.push(
      `items: ${bytes} bytes of line items, over the ${MAX_LINE_ITEMS_BYTES} one purchase carries ` +
        '(sub-areas take room): split them over several purchases, or buy them with `dcp batch`',
    );
  }
  problems.push(...notifyUrlProblems(input.notify).map((problem) => `notify: ${problem}`));
  const seen = new Set<string>();
  items.forEach((line, i) => {
    const at = `items[${i}]`;
    if (!line || typeof line.collection !== 'string' || line.collection.trim() === '') {
      problems.push(`${at}.collection: required`);
      return;
    }
    if (typeof line.item !== 'string' || line.item.trim() === '') {
      problems.push(`${at}.item: required`);
      return;
    }
    if (line.level !== undefined && (typeof line.level !== 'string' || line.level.trim() === '')) {
      problems.push(`${at}.level: must be a non-empty string when given`);
    }
    if ((line.geometry === undefined) !== (line.projectId === undefined)) {
      problems.push(`${at}: geometry and projectId go together (both or neither)`);
    }
    const key = itemKey(line);
    if (seen.has(key)) problems.push(`${at}: duplicate item ${key}`);
    seen.add(key);
  });
  if (input.contractId !== undefined && !(Number.isInteger(input.contractId) && input.contractId > 0)) {
    problems.push('contractId: must be a positive integer');
  }
  const budget = input.budget;
  if (budget) {
    if (typeof budget.maxTotal !== 'string' || !isDecimal(budget.maxTotal) || compare(budget.maxTotal, '0') <= 0) {
      problems.push(`budget.maxTotal: must be a positive decimal amount, got ${quoteValue(String(budget.maxTotal))}`);
    }
    if (budget.currency !== undefined && !CURRENCY.test(budget.currency)) {
      problems.push(`budget.currency: must be a 3-letter ISO 4217 code, got ${quoteValue(String(budget.currency))}`);
    }
    if (budget.approval !== 'reject' && budget.approval !== 'wait') {
      problems.push('budget.approval: must be "reject" or "wait"');
    }
    for (const [key, most] of Object.entries(budget.maxLinePrices ?? {})) {
      if (typeof most !== 'string' || !isDecimal(most)) {
        problems.push(`budget.maxLinePrices["${key}"]: must be a decimal amount, got ${quoteValue(String(most))}`);
      }
    }
    if (budget.approvalTimeoutMs !== undefined && !isDurationMs(budget.approvalTimeoutMs)) {
      problems.push('budget.approvalTimeoutMs: must be a positive number of milliseconds, at most ten years');
    }
  }
  if (input.paymentWindowMs !== undefined && !isDurationMs(input.paymentWindowMs)) {
    problems.push('paymentWindowMs: must be a positive number of milliseconds, at most ten years');
  }
  const poll = input.poll;
  if (poll) {
    if (!isDurationMs(poll.firstMs))
      problems.push('poll.firstMs: must be a positive number of milliseconds, at most ten years');
    if (!(typeof poll.factor === 'number' && poll.factor >= 1 && poll.factor <= 10)) {
      problems.push('poll.factor: must be a number from 1 to 10');
    }
    if (!isDurationMs(poll.capMs) || poll.capMs < poll.firstMs)
      problems.push('poll.capMs: must be at least poll.firstMs, at most ten years');
  }
  if (
    input.activityTimeoutMs !== undefined &&
    !(isDurationMs(input.activityTimeoutMs) && input.activityTimeoutMs >= 1000)
  ) {
    problems.push('activityTimeoutMs: must be at least 1000, at most ten years');
  }
  if (input.redriveOf !== undefined && !PURCHASE_ID.test(input.redriveOf)) {
    problems.push('redriveOf: must be a purchase id');
  }
  if (
    input.historyEventLimit !== undefined &&
    !(Number.isInteger(input.historyEventLimit) && input.historyEventLimit >= 100)
  ) {
    problems.push('historyEventLimit: must be an integer of at least 100');
  }
  return problems;
}
