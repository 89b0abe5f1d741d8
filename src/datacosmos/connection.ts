/**
 * The HTTP side of a client: one keep-alive pool, its pacing, the token provider and the transport over them.
 * The typed client and `dcp probe` both stand on it, so a probe asks the API the way a purchase does.
 */
import { Agent } from 'undici';
import type { ExchangeContext } from './exchange';
import type { ResolvedOptions } from './options';
import { RequestThrottle } from './throttle';
import { TokenProvider } from './token-provider';
import { Transport } from './transport';

export interface Connection {
  transport: Transport;
  tokens: TokenProvider;
  /** Closes the connection pool; the connection is unusable afterwards. */
  close(): Promise<void>;
}

export function openConnection(options: ResolvedOptions): Connection {
  // One keep-alive pool per client: purchases reuse connections instead of paying a handshake each.
  const agent = new Agent({ keepAliveTimeout: 30_000, connections: 32 });
  const context: ExchangeContext = {
    dispatcher: agent,
    timeoutMs: options.requestTimeoutMs,
    onRequest: options.onRequest,
    throttle: options.maxRequestsPerSecond ? new RequestThrottle(options.maxRequestsPerSecond) : undefined,
  };
  const tokens = new TokenProvider(context, options);
  return { transport: new Transport(context, options, tokens), tokens, close: () => agent.close() };
}
