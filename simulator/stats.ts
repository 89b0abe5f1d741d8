/** Request statistics per endpoint, for tests and benchmarks (GET/DELETE /__sim/stats). */
export interface EndpointStats {
  requests: number;
  /** Counts per reply status, plus `reset`, `lost` and `hang` for replies a fault swallowed. */
  statuses: Record<string, number>;
}

export interface StatsSnapshot {
  since: string;
  total: number;
  rateLimited: number;
  endpoints: Record<string, EndpointStats>;
  /** From `GET /__sim/stats`: requests a `hold` fault keeps waiting right now, per endpoint. */
  held?: Record<string, number>;
}

export class Stats {
  private snapshotData: StatsSnapshot = Stats.empty();

  private static empty(): StatsSnapshot {
    return { since: new Date().toISOString(), total: 0, rateLimited: 0, endpoints: {} };
  }

  record(endpoint: string, outcome: number | 'reset' | 'lost' | 'hang'): void {
    const data = this.snapshotData;
    const entry = (data.endpoints[endpoint] ??= { requests: 0, statuses: {} });
    entry.requests += 1;
    entry.statuses[outcome] = (entry.statuses[outcome] ?? 0) + 1;
    data.total += 1;
    if (outcome === 429) data.rateLimited += 1;
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.snapshotData);
  }

  clear(): void {
    this.snapshotData = Stats.empty();
  }
}
