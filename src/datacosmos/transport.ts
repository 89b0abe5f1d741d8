/**
 * Authenticated calls to the data API: bearer token, the one refresh-and-retry on 401, status
 * classification, reply validation and the retry policy. Everything above this speaks in typed
 * requests and replies; everything below in bytes.
 */
import type { z } from 'zod';
import type { EndpointName } from './api-paths';
import { isSuccess, responseError, type Exchange } from './classify';
import { withoutSecrets, isDataCosmosError } from './errors';
import { exchangeStream, exchangeText, type ExchangeContext, type StreamReply, type TextReply } from './exchange';
import type { ResolvedOptions } from './options';
import { withRetry } from './retry';
import { parseReply } from './schema-check';
import type { TokenProvider } from './token-provider';

export type Query = Record<string, string | number | boolean | undefined>;

/** A request to the data API. */
export interface RequestSpec {
  endpoint: EndpointName;
  method: 'GET' | 'POST';
  path: string;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

export interface CallSpec<S extends z.ZodType> extends RequestSpec {
  reply: S;
  /** Order create: one attempt only, and failures that may have reached the server are 'outcome_unknown'. */
  unsafeToRepeat?: boolean;
}

export interface StreamSpec {
  endpoint: EndpointName;
  url: string;
  headers: Record<string, string>;
  /** False for URLs outside the API (e.g. presigned storage links): the token goes only to the API. */
  withToken: boolean;
  signal?: AbortSignal;
}

export class Transport {
  constructor(
    private readonly context: ExchangeContext,
    private readonly options: ResolvedOptions,
    private readonly tokens: TokenProvider,
  ) {}

  /** A JSON call: validated reply, retried per the retry option unless unsafe to repeat. */
  call<S extends z.ZodType>(spec: CallSpec<S>): Promise<z.output<S>> {
    const exchange: Exchange = { endpoint: spec.endpoint, method: spec.method, unsafeToRepeat: !!spec.unsafeToRepeat };
    const policy = spec.unsafeToRepeat ? false : this.options.retry;
    return this.scrubbed(
      withRetry(policy, spec.signal, async (attempt) => {
        const reply = await this.send(exchange, spec, attempt);
        if (!isSuccess(reply.status)) throw this.errorOf(exchange, reply, reply.bodyText);
        return parseReply(exchange, spec.reply, reply.bodyText);
      }),
    );
  }

  /** One attempt, the reply handed back unjudged whatever its status: `dcp probe` reports replies as they came. */
  reply(spec: RequestSpec): Promise<TextReply> {
    return this.scrubbed(this.send({ endpoint: spec.endpoint, method: spec.method, unsafeToRepeat: false }, spec, 1));
  }

  /** A streamed GET (downloads): the body is handed over once a 2xx status arrives. */
  stream(spec: StreamSpec): Promise<StreamReply> {
    const exchange: Exchange = { endpoint: spec.endpoint, method: 'GET', unsafeToRepeat: false };
    return this.scrubbed(
      withRetry(this.options.retry, spec.signal, async (attempt) => {
        const send = (auth: Record<string, string>) =>
          exchangeStream(this.context, {
            exchange,
            url: spec.url,
            headers: { ...spec.headers, ...auth },
            signal: spec.signal,
            attempt,
          });
        const reply = spec.withToken ? await this.withFreshTokenOn401(attempt, spec.signal, send) : await send({});
        if (isSuccess(reply.status)) return reply;
        throw this.errorOf(exchange, reply, await reply.body.text());
      }),
    );
  }

  /** The access token, with the same retry policy as data calls. */
  token(signal?: AbortSignal): Promise<string> {
    return this.scrubbed(withRetry(this.options.retry, signal, (attempt) => this.tokens.get(attempt, signal)));
  }

  /** Sends with the bearer token (renewed once on 401) and reads the whole reply. */
  private send(exchange: Exchange, spec: RequestSpec, attempt: number): Promise<TextReply> {
    const url = this.urlOf(spec.path, spec.query);
    return this.withFreshTokenOn401(attempt, spec.signal, (auth) =>
      exchangeText(this.context, {
        exchange,
        url,
        headers: { accept: 'application/json', ...auth },
        body: spec.body,
        signal: spec.signal,
        attempt,
      }),
    );
  }

  /** An absolute URL of the data API. */
  private urlOf(path: string, query?: Query): string {
    const url = new URL(`${this.options.apiUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** Sends with the cached token; on 401 replaces the token and sends once more (the second reply stands). */
  private async withFreshTokenOn401<R extends { status: number; body?: unknown }>(
    attempt: number,
    signal: AbortSignal | undefined,
    send: (headers: Record<string, string>) => Promise<R>,
  ): Promise<R> {
    const token = await this.tokens.get(attempt, signal);
    const first = await send({ authorization: `Bearer ${token}` });
    if (first.status !== 401) return first;
    await discard(first);
    this.tokens.invalidate(token);
    const fresh = await this.tokens.get(attempt, signal);
    return send({ authorization: `Bearer ${fresh}` });
  }

  private errorOf(exchange: Exchange, reply: TextReply | StreamReply, bodyText: string) {
    return responseError(exchange, reply.status, bodyText, reply.headers['retry-after']?.toString());
  }

  private async scrubbed<T>(promise: Promise<T>): Promise<T> {
    try {
      return await promise;
    } catch (error) {
      throw isDataCosmosError(error) ? withoutSecrets(error, this.tokens.secrets()) : error;
    }
  }
}

/** Frees the connection of a reply whose body is not needed (a streamed 401). */
async function discard(reply: { body?: unknown }): Promise<void> {
  const body = reply.body as { dump?: () => Promise<void> } | undefined;
  await body?.dump?.();
}
