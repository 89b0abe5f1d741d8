/**
 * One HTTP exchange over undici: sends, enforces the per-request timeout, reports the exchange to
 * onRequest, and turns socket errors and timeouts into DataCosmosErrors. Status codes are judged by
 * the caller. A caller's abort is passed through unchanged (its signal's reason), never wrapped.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { request, type Dispatcher } from 'undici';
import { transportError, type Exchange } from './classify';
import type { RequestThrottle } from './throttle';
import type { RequestEvent } from './options';

export interface ExchangeContext {
  dispatcher: Dispatcher;
  timeoutMs: number;
  onRequest?: (event: RequestEvent) => void;
  throttle?: RequestThrottle;
}

export interface OutgoingRequest {
  exchange: Exchange;
  url: string;
  headers: Record<string, string>;
  /** Sent as JSON when present. */
  body?: unknown;
  signal?: AbortSignal;
  attempt: number;
}

export interface TextReply {
  status: number;
  headers: IncomingHttpHeaders;
  bodyText: string;
}

export interface StreamReply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Dispatcher.ResponseData['body'];
}

/** Sends and reads the whole body; the timeout covers headers and body. */
export function exchangeText(context: ExchangeContext, outgoing: OutgoingRequest): Promise<TextReply> {
  return run(context, outgoing, async (response) => ({
    status: response.statusCode,
    headers: response.headers,
    bodyText: await response.body.text(),
  }));
}

/** Sends and returns once headers arrive; the timeout covers the headers, the body is the caller's to read. */
export function exchangeStream(context: ExchangeContext, outgoing: OutgoingRequest): Promise<StreamReply> {
  return run(context, outgoing, async (response) => ({
    status: response.statusCode,
    headers: response.headers,
    body: response.body,
  }));
}

async function run<T extends { status: number }>(
  context: ExchangeContext,
  outgoing: OutgoingRequest,
  read: (response: Dispatcher.ResponseData) => Promise<T>,
): Promise<T> {
  await context.throttle?.acquire(outgoing.signal);
  const timeoutReason = new Error('request timeout');
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(timeoutReason), context.timeoutMs);
  const signal = outgoing.signal ? AbortSignal.any([outgoing.signal, timer.signal]) : timer.signal;
  const started = performance.now();
  const report = (status: number | 'error') =>
    context.onRequest?.({
      endpoint: outgoing.exchange.endpoint,
      method: outgoing.exchange.method,
      status,
      durationMs: performance.now() - started,
      attempt: outgoing.attempt,
    });
  try {
    const hasBody = outgoing.body !== undefined;
    const response = await request(outgoing.url, {
      dispatcher: context.dispatcher,
      method: outgoing.exchange.method as Dispatcher.HttpMethod,
      headers: hasBody ? { ...outgoing.headers, 'content-type': 'application/json' } : outgoing.headers,
      body: hasBody ? JSON.stringify(outgoing.body) : undefined,
      signal,
    });
    const reply = await read(response);
    report(reply.status);
    return reply;
  } catch (error) {
    report('error');
    if (outgoing.signal?.aborted) throw outgoing.signal.reason;
    throw transportError(outgoing.exchange, error, timer.signal.aborted ? context.timeoutMs : undefined);
  } finally {
    clearTimeout(timeout);
  }
}
