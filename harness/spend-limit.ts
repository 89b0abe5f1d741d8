/** The spend limit tests and benchmarks set on a ledger: organisation-wide, in EUR, its periods in UTC. */
import type { LimitPeriod, SpendLimit } from '../src/shared/spend-limit-types';

export function organisationLimit(name: string, period: LimitPeriod, amount: string): SpendLimit {
  return {
    name,
    period,
    amount,
    currency: 'EUR',
    scope: { kind: 'organisation' },
    timeZone: 'UTC',
    setAt: new Date().toISOString(),
  };
}
