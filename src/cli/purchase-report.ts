/** How purchases are shown on the terminal, and which exit code each end gives. */
import type { PurchaseEnd, PurchaseResult, PurchaseStatus } from '../shared/purchase-types';
import { ExitCode } from '../shared/errors';

export const END_EXIT_CODE: Record<PurchaseEnd, ExitCode> = {
  COMPLETED: ExitCode.OK,
  CANCELLED: ExitCode.CANCELLED,
  EXPIRED: ExitCode.EXPIRED,
  REJECTED: ExitCode.REJECTED,
  FAILED: ExitCode.API_ERROR,
  // The items are owned: what the caller wanted holds.
  ALREADY_OWNED: ExitCode.OK,
  IN_FLIGHT: ExitCode.IN_FLIGHT,
};

function money(total: string | null, currency: string | null): string {
  return total === null ? '-' : `${total} ${currency ?? ''}`.trim();
}

/** One line for the live progress of a purchase. */
export function stageLine(status: PurchaseStatus): string {
  const parts = [`${status.purchaseId}: ${status.stage}`];
  if (status.total !== null) parts.push(`total ${money(status.total, status.currency)}`);
  if (status.orderId) parts.push(`order ${status.orderId} ${status.orderStatus ?? ''}`.trim());
  if (status.stage === 'AWAITING_PAYMENT') {
    parts.push(`polls ${status.polls}`);
    if (status.checkoutUrl) parts.push(`pay at ${status.checkoutUrl}`);
    if (status.paymentDeadline) parts.push(`deadline ${status.paymentDeadline}`);
  }
  if (status.stage === 'AWAITING_APPROVAL') parts.push(`approve with: dcp approve ${status.purchaseId}`);
  if (status.attention) parts.push(`needs attention: ${status.attention.reason}; ${attentionAction(status)}`);
  else if (status.lastError) parts.push(`last error: ${status.lastError}`);
  return parts.join(' | ');
}

export function formatResult(result: PurchaseResult): string {
  const lines = [
    `purchase ${result.purchaseId}: ${result.end}${result.reason ? ` (${result.reason})` : ''}`,
    `  order:    ${result.orderId ?? '-'}${result.orderStatus ? ` ${result.orderStatus}` : ''}`,
    `  total:    ${money(result.total, result.currency)}${result.paymentMethod ? ` via ${result.paymentMethod}` : ''}`,
  ];
  if (result.checkoutUrl) lines.push(`  payment link: ${result.checkoutUrl}`);
  if (result.contractId !== null) lines.push(`  contract: ${result.contractId}`);
  if (result.redriveOf) lines.push(`  redrive of: ${result.redriveOf}`);
  lines.push(`  items:`);
  for (const line of result.lineItems) {
    const price = 'price' in line ? ` ${line.price} ${line.currency}` : '';
    lines.push(`    ${line.collection}/${line.item}${line.level ? ` (${line.level})` : ''}${price}`);
  }
  for (const d of result.dropped ?? []) {
    const why =
      d.outcome === 'ALREADY_OWNED' ? `owned already, PAID order ${d.orderId}` : `being bought by ${d.purchaseId}`;
    lines.push(`    ${d.collection}/${d.item} not bought: ${d.outcome} (${why})`);
  }
  lines.push(`  started ${result.startedAt}, ended ${result.endedAt}, ${result.polls} payment checks`);
  return lines.join('\n');
}

export function formatStatus(status: PurchaseStatus): string {
  const lines = [
    `purchase ${status.purchaseId}: ${status.stage}`,
    `  order:     ${status.orderId ?? '-'}${status.orderStatus ? ` ${status.orderStatus}` : ''}`,
    `  total:     ${money(status.total, status.currency)}${status.paymentMethod ? ` via ${status.paymentMethod}` : ''}`,
    `  approval:  ${status.approval}`,
    `  polls:     ${status.polls}${status.nextCheckAt ? `, next check ${status.nextCheckAt}` : ''}`,
  ];
  if (status.checkoutUrl) lines.push(`  payment link: ${status.checkoutUrl}`);
  if (status.paymentDeadline) lines.push(`  deadline:  ${status.paymentDeadline}`);
  if (status.attention) {
    lines.push(`  needs attention since ${status.attention.since}: ${status.attention.reason}`);
    lines.push(`  to resolve: ${attentionAction(status)}`);
  } else if (status.lastError) lines.push(`  last error: ${status.lastError}`);
  if (status.spendLimit) lines.push(`  limit:     ${status.spendLimit} (\`dcp limits list\` shows what it has left)`);
  if (status.batchId) lines.push(`  batch:     ${status.batchId}`);
  if (status.redriveOf) lines.push(`  redrive of: ${status.redriveOf}`);
  lines.push(
    `  started ${status.startedAt}, updated ${status.updatedAt}${status.runs ? `, run ${status.runs + 1}` : ''}`,
  );
  return lines.join('\n');
}

/** What an operator can do about a purchase in NEEDS_ATTENTION, with its id filled in. */
function attentionAction(status: PurchaseStatus): string {
  return (status.attention?.resolve ?? '').split(' ID').join(` ${status.purchaseId}`);
}
