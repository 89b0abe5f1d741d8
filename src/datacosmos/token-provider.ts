/**
 * The access token: fetched with client credentials, cached until shortly before it expires, and
 * shared by concurrent callers (one request in flight at a time). The token is never logged nor
 * put into an error.
 */
import { paths } from './api-paths';
import { TokenRequest, TokenResponse } from './api-schemas';
import { isSuccess, responseError, type Exchange } from './classify';
import { exchangeText, type ExchangeContext, type TextReply } from './exchange';
import type { ResolvedOptions } from './options';
import { parseReply } from './schema-check';

/** Lifetime assumed when the token endpoint does not say (documented default of the API). */
const DEFAULT_LIFETIME_S = 3600;

const TOKEN_EXCHANGE: Exchange = { endpoint: 'token', method: 'POST', unsafeToRepeat: false };

interface CachedToken {
  token: string;
  refreshAtMs: number;
}

export class TokenProvider {
  private cached?: CachedToken;
  private inFlight?: Promise<string>;

  constructor(
    private readonly context: ExchangeContext,
    private readonly options: ResolvedOptions,
  ) {}

  /** The cached token, or a fresh one; a caller's abort stops its wait, not the shared request. */
  get(attempt: number, signal?: AbortSignal): Promise<string> {
    if (this.cached && Date.now() < this.cached.refreshAtMs) return Promise.resolve(this.cached.token);
    this.inFlight ??= this.fetch(attempt).finally(() => {
      this.inFlight = undefined;
    });
    return raceAbort(this.inFlight, signal);
  }

  /** Forgets `token` after the API rejected it (unless a newer one already replaced it). */
  invalidate(token: string): void {
    if (this.cached?.token === token) this.cached = undefined;
  }

  /** Every form a secret of this client can take, for scrubbing text that echoes a request. */
  secrets(): string[] {
    return [this.options.clientSecret, this.cached?.token].filter((s): s is string => !!s);
  }

  /** What the token endpoint is sent: the client credentials. */
  request(): TokenRequest {
    return {
      grant_type: 'client_credentials',
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      audience: this.options.audience,
    };
  }

  /** One token request, its reply handed back unjudged (`dcp probe` reads it itself, then hands the token to keep). */
  send(attempt: number): Promise<TextReply> {
    return exchangeText(this.context, {
      exchange: TOKEN_EXCHANGE,
      url: `${this.options.authUrl}${paths.token}`,
      headers: { accept: 'application/json' },
      body: this.request(),
      attempt,
    });
  }

  /** Caches a token the token endpoint issued, until shortly before it expires, for the calls that follow. */
  keep(token: TokenResponse): string {
    const lifetimeS = token.expires_in ?? DEFAULT_LIFETIME_S;
    // A margin longer than the token lives would mean refreshing on every call: keep at least half its life.
    const marginS = Math.min(this.options.tokenRefreshMarginS, lifetimeS / 2);
    this.cached = { token: token.access_token, refreshAtMs: Date.now() + (lifetimeS - marginS) * 1000 };
    return token.access_token;
  }

  private async fetch(attempt: number): Promise<string> {
    const reply = await this.send(attempt);
    if (!isSuccess(reply.status)) {
      throw responseError(TOKEN_EXCHANGE, reply.status, reply.bodyText, reply.headers['retry-after']?.toString());
    }
    return this.keep(parseReply(TOKEN_EXCHANGE, TokenResponse, reply.bodyText));
  }
}

function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
