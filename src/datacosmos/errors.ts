import type { EndpointName } from './api-paths';

/**
 * - http: the API answered with an error status (4xx/5xx other than 401/429)
 * - auth: credentials rejected (token endpoint) or a data endpoint still said 401 after one refresh
 * - rate_limited: 429, with retryAfterMs when the server said how long to wait
 * - network: the connection failed (reset, refused, closed)
 * - timeout: no complete reply within requestTimeoutMs
 * - schema: a request or reply that does not match the wire schemas, or a reply that is not JSON
 * - outcome_unknown: an order create that may or may not have happened; look before creating again
 * - unsupported: 404 or 405 from an endpoint whose path (or body) the docs do not confirm: this API may not
 *   serve it there; the message names the variable that moves it
 */
export type DataCosmosErrorKind =
  'http' | 'auth' | 'rate_limited' | 'network' | 'timeout' | 'schema' | 'outcome_unknown' | 'unsupported';

export interface DataCosmosErrorFields {
  kind: DataCosmosErrorKind;
  endpoint: EndpointName;
  method: string;
  retryable: boolean;
  status?: number;
  apiMessages?: string[];
  traceId?: string;
  retryAfterMs?: number;
  schemaPath?: string;
}

/**
 * Every failure of the client. Carries what a caller needs to decide (kind, retryable,
 * retryAfterMs) and what a person needs to read (one-line message); never headers or tokens.
 */
export class DataCosmosError extends Error {
  override readonly name = 'DataCosmosError';
  readonly kind: DataCosmosErrorKind;
  readonly endpoint: EndpointName;
  readonly method: string;
  readonly status?: number;
  readonly apiMessages: string[];
  readonly traceId?: string;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly schemaPath?: string;

  constructor(message: string, fields: DataCosmosErrorFields) {
    super(message);
    this.kind = fields.kind;
    this.endpoint = fields.endpoint;
    this.method = fields.method;
    this.retryable = fields.retryable;
    this.apiMessages = fields.apiMessages ?? [];
    // Optional fields are only set when known, so JSON.stringify(error) stays readable.
    if (fields.status !== undefined) this.status = fields.status;
    if (fields.traceId !== undefined) this.traceId = fields.traceId;
    if (fields.retryAfterMs !== undefined) this.retryAfterMs = fields.retryAfterMs;
    if (fields.schemaPath !== undefined) this.schemaPath = fields.schemaPath;
  }
}

export function isDataCosmosError(error: unknown): error is DataCosmosError {
  return error instanceof DataCosmosError;
}

/** The text with every occurrence of the given secrets replaced by `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text);
}

/** The same error with every occurrence of the given secrets replaced, in case the API echoed one back. */
export function withoutSecrets(error: DataCosmosError, secrets: readonly string[]): DataCosmosError {
  const scrub = (text: string) => redactSecrets(text, secrets);
  if (!secrets.some((secret) => error.message.includes(secret) || error.apiMessages.some((m) => m.includes(secret)))) {
    return error;
  }
  return new DataCosmosError(scrub(error.message), { ...error, apiMessages: error.apiMessages.map(scrub) });
}
