/** The figures of a coverage plan as short lines of text, for the report's map and for terminal output. Pure. */
import type { CoveragePlan } from './plan';

const km2Format = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const pctFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 2 });

export function formatKm2(km2: number): string {
  return `${km2Format.format(km2)} km²`;
}

/** Coverage is rounded down, so that a plan just short of its target never reads as meeting it. */
export function formatPct(pct: number): string {
  return `${pctFormat.format(Math.floor(pct * 100) / 100)} %`;
}

const STOPS: Record<CoveragePlan['stoppedBy'], string> = {
  target: 'coverage target reached',
  budget: 'stopped by the budget',
  candidates: 'no scene adds more coverage',
};

/** The first line says how much is covered; the others what is bought and what it costs. */
export function coverageFigures(plan: Omit<CoveragePlan, 'uncovered'>, currency = ''): string[] {
  const money = (amount: string) => (currency ? `${amount} ${currency}` : amount);
  const owned = plan.picks.filter((p) => p.owned).length;
  const clipped = plan.picks.filter((p) => p.geometry !== null).length;
  const lines = [
    `coverage ${formatPct(plan.coveragePct)} of ${formatKm2(plan.aoiKm2)} (target ${formatPct(plan.targetPct)}): ${STOPS[plan.stoppedBy]}`,
    `${count(plan.picks.length - owned, 'scene')} to buy, ${clipped} of them clipped${owned > 0 ? `; ${owned} already owned` : ''}`,
    `area bought: ${formatKm2(plan.boughtKm2)}`,
    `cost: ${money(plan.cost)}`,
  ];
  const { baselines } = plan;
  if (baselines !== null) {
    lines.push(`every intersecting scene whole (${baselines.intersecting}): ${money(baselines.naiveCost)}`);
    lines.push(`every intersecting scene clipped to the area: ${money(baselines.clippedCost)}`);
  }
  return lines;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
