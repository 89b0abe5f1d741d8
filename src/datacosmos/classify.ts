/**
 * The one place where a failed exchange becomes a DataCosmosError: which statuses, socket errors
 * and timeouts are retryable, and which failures of a non-idempotent request leave its outcome unknown.
 */
import { STATUS_CODES } from 'node:http';
import { UNCONFIRMED_ENDPOINTS, type EndpointName } from './api-paths';
import { ApiErrorBody } from './api-schemas';
import { DataCosmosError, type DataCosmosErrorKind } from './errors';
import { parseRetryAfter } from './retry-after';

export interface Exchange {
  endpoint: EndpointName;
  method: string;
  /**
   * True for requests that must not be repeated blindly (order create: no idempotency key). A failure
   * after the request may have reached the server then becomes kind 'outcome_unknown'.
   */
  unsafeToRepeat: boolean;
}

/** A 2xx status: the exchange worked; any other is an error (see responseError). */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** Classifies a non-2xx status. 401 is 'auth' here: the one refresh-and-retry happens before this. */
export function classifyStatus(status: number): { retryable: boolean; kind: DataCosmosErrorKind } {
  if (status === 401) return { retryable: false, kind: 'auth' };
  if (status === 429) return { retryable: true, kind: 'rate_limited' };
  if (status === 408 || status >= 500) return { retryable: true, kind: 'http' };
  return { retryable: false, kind: 'http' };
}

/** Connection-level codes that mean the request never left this machine, so it did not reach the server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function failedPrefix(exchange: Exchange, status: number | string): string {
  return `${exchange.endpoint} ${exchange.method} failed (${status})`;
}

interface ErrorBodyDetails {
  messages: string[];
  traceId?: string;
}

/** Reads `{errors:[{message,trace_id}]}`, or the OAuth form `{error, error_description}` of the token endpoint. */
export function readErrorBody(bodyText: string): ErrorBodyDetails {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    return { messages: [] };
  }
  const envelope = ApiErrorBody.safeParse(json);
  if (envelope.success) {
    const traceId = envelope.data.errors.find((e) => e.trace_id)?.trace_id ?? undefined;
    return { messages: envelope.data.errors.map((e) => e.message), traceId };
  }
  const oauth = json as { error?: unknown; error_description?: unknown };
  const oauthMessage = oauth?.error_description ?? oauth?.error;
  return { messages: typeof oauthMessage === 'string' ? [oauthMessage] : [] };
}

/** Turns a non-2xx reply into the error the caller sees. */
export function responseError(
  exchange: Exchange,
  status: number,
  bodyText: string,
  retryAfterHeader: string | undefined,
): DataCosmosError {
  const classified = classifyStatus(status);
  const { retryable } = classified;
  const unconfirmed = (status === 404 || status === 405) && UNCONFIRMED_ENDPOINTS[exchange.endpoint];
  // The token endpoint answers bad credentials with 400/401/403 (OAuth): all of them mean 'auth'.
  const kind = exchange.endpoint === 'token' && !retryable ? 'auth' : unconfirmed ? 'unsupported' : classified.kind;
  const body = readErrorBody(bodyText);
  const said = body.messages.length > 0 ? body.messages.join('; ') : (STATUS_CODES[status] ?? 'unknown status');
  const detail = unconfirmed ? `${said}; ${unconfirmed}` : said;
  const retryAfterMs = kind === 'rate_limited' ? parseRetryAfter(retryAfterHeader) : undefined;
  // A 5xx may come from a proxy that lost the reply of a request the API did process, or from the API failing after
  // it made the order: even its own error envelope does not prove nothing was made (a 4xx refusal does).
  const outcomeUnknown = exchange.unsafeToRepeat && status >= 500;
  const message = `${failedPrefix(exchange, status)}: ${detail}`;
  return new DataCosmosError(outcomeUnknown ? `${message}; the order may or may not exist` : message, {
    kind: outcomeUnknown ? 'outcome_unknown' : kind,
    endpoint: exchange.endpoint,
    method: exchange.method,
    status,
    retryable,
    apiMessages: body.messages,
    traceId: body.traceId,
    retryAfterMs,
  });
}

/** Turns a socket error or a timeout (no status) into the error the caller sees. */
export function transportError(exchange: Exchange, cause: unknown, timeoutMs: number | undefined): DataCosmosError {
  const code = timeoutMs !== undefined ? 'timeout' : (errorCode(cause) ?? 'network');
  const detail = timeoutMs !== undefined ? `no complete reply within ${timeoutMs} ms` : errorMessage(cause);
  const mayHaveReachedServer = timeoutMs !== undefined || !NOT_SENT_CODES.has(code);
  const outcomeUnknown = exchange.unsafeToRepeat && mayHaveReachedServer;
  const message = `${failedPrefix(exchange, code)}: ${detail}`;
  return new DataCosmosError(outcomeUnknown ? `${message}; the order may or may not exist` : message, {
    kind: outcomeUnknown ? 'outcome_unknown' : timeoutMs !== undefined ? 'timeout' : 'network',
    endpoint: exchange.endpoint,
    method: exchange.method,
    retryable: true,
  });
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
