/** Durations on the command line: "90s", "30m", "72h", "7d", "500ms", or combined like "1h30m". */
import { quoteValue } from './one-line';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };
const DURATION = /^(\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
/**
 * The longest wait or window anything takes: ten years. A far longer one passes as a number, then fails as a date
 * inside the workflow (a deadline past year 275760 is no date), where it stops the purchase after its checkout.
 */
export const MAX_DURATION_MS = 3650 * UNIT_MS.d;

/** Whether a number of milliseconds is a duration this project takes: above zero, ten years at most. */
export function isDurationMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_DURATION_MS;
}

export function parseDuration(text: string, what: string): number {
  const trimmed = text.trim();
  if (!DURATION.test(trimmed))
    throw new RangeError(`${what}: ${quoteValue(text)} is not a duration (like 90s, 30m, 72h, 7d)`);
  let total = 0;
  for (const [, amount, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g))
    total += Number(amount) * UNIT_MS[unit];
  // Whole milliseconds: a fraction of one (0.4ms) would round to a zero wait.
  const ms = Math.round(total);
  if (!(ms > 0)) throw new RangeError(`${what}: must be longer than zero (1ms at least)`);
  if (ms > MAX_DURATION_MS) throw new RangeError(`${what}: must be at most 3650d (ten years)`);
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m}m`;
  const h = Math.floor(m / 60);
  return h < 48 ? `${h}h${m % 60 ? `${m % 60}m` : ''}` : `${Math.floor(h / 24)}d${h % 24 ? `${h % 24}h` : ''}`;
}
