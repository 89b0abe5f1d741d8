/**
 * Fault injection per endpoint (or "*"), decided by a seeded PRNG so a run can be reproduced.
 * Faults before handling: latency, reset, 5xx, 429, hang, and `hold` (every request waits, unhandled, until the
 * fault configuration changes: a test holds a step open, sees it held in the stats, acts, then lets it go).
 * After handling (the change is done and durable): lost reply, malformed body, schema drift.
 */
import { z } from 'zod';
import { ENDPOINT_NAMES } from './paths';
import { parseOrThrow } from './http';
import { mulberry32, type Random } from './prng';

const probability = z.number().min(0).max(1);

const FaultSpec = z
  .object({
    latencyMs: z.number().nonnegative(),
    jitterMs: z.number().nonnegative(),
    error5xx: probability,
    rateLimit429: probability,
    retryAfterS: z.number().int().nonnegative(),
    reset: probability,
    lostReply: probability,
    hang: probability,
    hangMs: z.number().nonnegative(),
    malformed: probability,
    schemaDrift: probability,
    hold: z.boolean(),
  })
  .partial()
  .strict();
export type FaultSpec = z.infer<typeof FaultSpec>;

const FAULT_KINDS = ['reset', 'error5xx', 'rateLimit429', 'hang', 'lostReply', 'malformed', 'schemaDrift'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const FaultConfigSchema = z
  .object({
    seed: z.number().int().default(1),
    endpoints: z
      .record(z.string(), FaultSpec)
      .default({})
      .refine(
        (endpoints) =>
          Object.keys(endpoints).every((k) => k === '*' || (ENDPOINT_NAMES as readonly string[]).includes(k)),
        {
          message: `endpoint names must be "*" or one of ${ENDPOINT_NAMES.join(', ')}`,
        },
      )
      .refine(
        (endpoints) => Object.values(endpoints).every((s) => FAULT_KINDS.reduce((sum, k) => sum + (s[k] ?? 0), 0) <= 1),
        {
          message: 'the fault probabilities of one endpoint must add up to at most 1',
        },
      ),
  })
  .strict();
export type FaultConfig = z.input<typeof FaultConfigSchema>;
type ParsedFaultConfig = z.infer<typeof FaultConfigSchema>;

export function parseFaultConfig(value: unknown): ParsedFaultConfig {
  return parseOrThrow(FaultConfigSchema, value);
}

export interface FaultPlan {
  delayMs: number;
  kind: FaultKind | null;
  retryAfterS: number;
  /** For `hang`: answer after this long; 0 = never. */
  hangMs: number;
}

const NO_FAULT: FaultPlan = { delayMs: 0, kind: null, retryAfterS: 0, hangMs: 0 };

export class FaultInjector {
  private config: ParsedFaultConfig;
  private random: Random;
  /** Requests waiting on a `hold`, per endpoint; they go on when the configuration changes. */
  private readonly held = new Map<string, number>();
  private changed = signal();

  constructor(config: FaultConfig = {}) {
    this.config = parseFaultConfig(config);
    this.random = mulberry32(this.config.seed);
  }

  current(): ParsedFaultConfig {
    return this.config;
  }

  replace(config: unknown): ParsedFaultConfig {
    this.config = parseFaultConfig(config);
    this.random = mulberry32(this.config.seed);
    this.changed.resolve();
    this.changed = signal();
    return this.config;
  }

  /** Waits while the endpoint's fault says `hold`; counted in `heldNow()` meanwhile. */
  async waitWhileHeld(endpoint: string): Promise<void> {
    if (!this.holds(endpoint)) return;
    this.held.set(endpoint, (this.held.get(endpoint) ?? 0) + 1);
    try {
      while (this.holds(endpoint)) await this.changed.promise;
    } finally {
      this.held.set(endpoint, (this.held.get(endpoint) ?? 1) - 1);
    }
  }

  /** Requests held right now, per endpoint. */
  heldNow(): Record<string, number> {
    return Object.fromEntries([...this.held].filter(([, count]) => count > 0));
  }

  private holds(endpoint: string): boolean {
    return (this.config.endpoints[endpoint] ?? this.config.endpoints['*'])?.hold === true;
  }

  plan(endpoint: string): FaultPlan {
    const spec = this.config.endpoints[endpoint] ?? this.config.endpoints['*'];
    if (!spec) return NO_FAULT;
    const delayMs = (spec.latencyMs ?? 0) + (spec.jitterMs ? this.random() * spec.jitterMs : 0);
    return { delayMs, kind: this.pick(spec), retryAfterS: spec.retryAfterS ?? 1, hangMs: spec.hangMs ?? 0 };
  }

  private pick(spec: FaultSpec): FaultKind | null {
    const roll = this.random();
    let cumulative = 0;
    for (const kind of FAULT_KINDS) {
      cumulative += spec[kind] ?? 0;
      if (roll < cumulative) return kind;
    }
    return null;
  }
}

/** A promise and the function that resolves it: how held requests learn that the faults changed. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** A 200 body cut short: JSON that no parser accepts. */
export function malformedBody(text: string): string {
  return text.length > 2 ? text.slice(0, Math.floor(text.length / 2)) : '{"data":';
}

/**
 * The body with a field missing or renamed, the way an unannounced API change would look:
 * `status` -> `state`, prices without `final`/`value`, `access_token` -> `token`,
 * `features` -> `results`; anything else loses its first field's name.
 */
export function driftedBody(json: unknown): unknown {
  const copy = structuredClone(json) as Record<string, unknown>;
  const target = copy && typeof copy === 'object' && 'data' in copy ? copy.data : copy;
  for (const entry of Array.isArray(target) ? target : [target]) driftObject(entry as Record<string, unknown>);
  return copy;
}

function driftObject(obj: Record<string, unknown>): void {
  if (!obj || typeof obj !== 'object') return;
  if ('status' in obj) rename(obj, 'status', 'state');
  else if ('final' in obj || 'value' in obj) {
    delete obj.final;
    delete obj.value;
  } else if ('access_token' in obj) rename(obj, 'access_token', 'token');
  else if ('features' in obj) rename(obj, 'features', 'results');
  else {
    const first = Object.keys(obj)[0];
    if (first) rename(obj, first, `${first}_v2`);
  }
}

function rename(obj: Record<string, unknown>, from: string, to: string): void {
  obj[to] = obj[from];
  delete obj[from];
}
