/** Start options of the simulator and the run-time settings that the admin API can change. */
import { z } from 'zod';
import type { FaultConfig } from './faults';
import { parseOrThrow } from './http';

export type CreditsAt = 'checkout' | 'create';
/**
 * The replies' shapes: `full` carries everything the simulator knows (totals, timestamps, prices per
 * line, the order list, batch prices under v1); `documented` carries exactly the published examples.
 */
export const API_VARIANTS = ['full', 'documented'] as const;
export type ApiVariant = (typeof API_VARIANTS)[number];
/** Whose requests share one rate-limit bucket: each access token's, or each API client's (all its tokens). */
export type RateLimitScope = 'token' | 'client';

export interface Settings {
  apiVariant: ApiVariant;
  creditsAt: CreditsAt;
  requireLicenses: boolean;
  tokenLifetimeS: number;
  checkoutTtlS: number;
  /** Requests/s per bucket; 0 = unlimited. */
  rateLimit: number;
  rateLimitScope: RateLimitScope;
  /** Where the checkout page POSTs a signed `checkout.session.completed` event when an order is paid; null = nowhere. */
  webhookUrl: string | null;
  /** HMAC secret of those events; never logged or shown by the admin API. */
  webhookSecret: string | null;
  /** The largest page of the order list (its `limit`); a larger one is refused with 400, as an API may. */
  orderListMaxLimit: number;
  /** Every contract's rate times this (a decimal): how a test raises prices while a purchase waits. */
  rateFactor: string;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  dataDir?: string;
  /** Catalog seed and size; when absent, those stored in the data dir (or the defaults) are used. */
  seed?: number;
  items?: number;
  faults?: FaultConfig;
  publicUrl?: string;
  apiVariant?: ApiVariant;
  tokenLifetimeS?: number;
  checkoutTtlS?: number;
  creditsAt?: CreditsAt;
  requireLicenses?: boolean;
  rateLimit?: number;
  rateLimitScope?: RateLimitScope;
  webhookUrl?: string;
  webhookSecret?: string;
  /** Where pino logs go; defaults to stderr. */
  logLevel?: string;
}

export const DEFAULTS = {
  port: 8787,
  host: '127.0.0.1',
  dataDir: '.data/simulator',
  seed: 42,
  items: 5000,
} as const;

/** The order list's largest page by default. */
export const ORDER_LIST_MAX_LIMIT = 200;

export function settingsFromOptions(options: SimulatorOptions): Settings {
  return {
    apiVariant: options.apiVariant ?? 'full',
    creditsAt: options.creditsAt ?? 'checkout',
    requireLicenses: options.requireLicenses ?? false,
    tokenLifetimeS: options.tokenLifetimeS ?? 3600,
    checkoutTtlS: options.checkoutTtlS ?? 86400,
    rateLimit: options.rateLimit ?? 0,
    rateLimitScope: options.rateLimitScope ?? 'token',
    webhookUrl: options.webhookUrl ?? null,
    webhookSecret: options.webhookSecret ?? null,
    orderListMaxLimit: ORDER_LIST_MAX_LIMIT,
    rateFactor: '1',
  };
}

const SettingsPatch = z
  .object({
    apiVariant: z.enum(API_VARIANTS),
    creditsAt: z.enum(['checkout', 'create']),
    requireLicenses: z.boolean(),
    tokenLifetimeS: z.number().int().positive(),
    checkoutTtlS: z.number().positive(),
    rateLimit: z.number().nonnegative(),
    rateLimitScope: z.enum(['token', 'client']),
    webhookUrl: z.url({ protocol: /^https?$/ }).nullable(),
    webhookSecret: z.string().min(16).nullable(),
    orderListMaxLimit: z.number().int().min(1),
    rateFactor: z.string().regex(/^\d+(\.\d+)?$/),
  })
  .partial()
  .strict();

/** Validates a partial settings change from the admin API. */
export function parseSettingsPatch(body: unknown): Partial<Settings> {
  return parseOrThrow(SettingsPatch, body);
}

/** The settings as the admin API shows them: whether a webhook secret is set, never the secret. */
export function visibleSettings(settings: Settings): Settings {
  return { ...settings, webhookSecret: settings.webhookSecret === null ? null : '(set)' };
}
