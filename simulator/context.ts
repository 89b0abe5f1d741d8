/** What every handler receives: the request, the simulator's parts, and the authenticated caller helper. */
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { AssetFactsCache } from './asset-bytes';
import type { Caller, TokenSigner } from './auth';
import type { Catalog } from './catalog';
import type { FaultInjector } from './faults';
import type { Reply } from './http';
import type { ApiVariant, SimulatorOptions } from './options';
import type { RateLimiter } from './rate-limit';
import type { SimState } from './state';
import type { Stats } from './stats';

export interface Sim {
  publicUrl: string;
  options: SimulatorOptions;
  catalog: Catalog;
  facts: AssetFactsCache;
  state: SimState;
  signer: TokenSigner;
  faults: FaultInjector;
  stats: Stats;
  limiter: RateLimiter;
  log: Logger;
}

export interface RequestContext {
  sim: Sim;
  req: IncomingMessage;
  url: URL;
  /** Decoded path parameters, in route order. */
  params: string[];
  body: Buffer;
}

export type Handler = (ctx: RequestContext) => Reply | Promise<Reply>;

/** Authenticates the bearer token, then applies the rate limit of its token or of its API client. */
export function callerOf(ctx: RequestContext): Caller {
  const caller = ctx.sim.signer.authenticate(ctx.req);
  const { rateLimit, rateLimitScope } = ctx.sim.state.settings;
  ctx.sim.limiter.take(rateLimitScope, rateLimitScope === 'token' ? caller.token : caller.clientId, rateLimit);
  return caller;
}

/** The reply shapes in force for this request (a run-time setting). */
export function apiVariant(ctx: RequestContext): ApiVariant {
  return ctx.sim.state.settings.apiVariant;
}
