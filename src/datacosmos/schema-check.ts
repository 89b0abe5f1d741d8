/**
 * Validates request bodies before sending and replies after receiving, with the zod wire schemas.
 * A mismatch names the endpoint and the JSON path of the first issue, e.g.
 * `order_get: response data.status: expected one of UNPAID|PAID|CANCELLED`.
 *
 * A reply that is not JSON is a schema error too, not retryable: a body cut short by a dropped
 * connection fails earlier as a network error (undici checks content-length and chunked framing),
 * so a complete body that does not parse is the server's bug and repeating the call will not fix it.
 */
import type { z } from 'zod';
import type { EndpointName } from './api-paths';
import type { Exchange } from './classify';
import { DataCosmosError } from './errors';

type Issue = z.core.$ZodIssue;

/** `["data", "order_line_items", 0, "item"]` -> `data.order_line_items[0].item`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('');
}

export function describeIssue(issue: Issue): string {
  if (issue.code === 'invalid_value') return `expected one of ${issue.values.map(String).join('|')}`;
  return issue.message.replace(/^Invalid (input|option): /, '');
}

function schemaError(exchange: Exchange, direction: 'request' | 'response', detail: string, schemaPath?: string) {
  // A create whose reply cannot be read did happen (2xx): the caller must look for the order, not give up.
  const outcomeUnknown = direction === 'response' && exchange.unsafeToRepeat;
  const message = `${exchange.endpoint}: ${direction} ${detail}`;
  const suffix = outcomeUnknown ? '; the order was created but its reply is unreadable' : '';
  return new DataCosmosError(`${message}${suffix}`, {
    kind: outcomeUnknown ? 'outcome_unknown' : 'schema',
    endpoint: exchange.endpoint,
    method: exchange.method,
    retryable: outcomeUnknown,
    schemaPath,
  });
}

function mismatch(exchange: Exchange, direction: 'request' | 'response', issues: readonly Issue[]) {
  const first = issues[0];
  const path = formatPath(first.path);
  return schemaError(exchange, direction, `${path || '(root)'}: ${describeIssue(first)}`, path);
}

/** `order_list: response data[3].status: expected string` for a part of a reply read on its own. */
export function describeMismatch(endpoint: EndpointName, prefix: string, issues: readonly Issue[]): string {
  const first = issues[0];
  const path = formatPath([prefix, ...(first?.path ?? [])]);
  return `${endpoint}: response ${path}: ${first ? describeIssue(first) : 'unreadable'}`;
}

export type ReplyReading<T> = { json: unknown; result: z.ZodSafeParseResult<T> } | { notJson: string };

/** A reply body read with the schema, without throwing: its JSON and the schema's verdict, or why it is not JSON. */
export function readReply<S extends z.ZodType>(schema: S, bodyText: string): ReplyReading<z.output<S>> {
  let json: unknown;
  try {
    // An empty body parses as nothing: only schemas that accept an absent reply (checkout) take it.
    json = bodyText.trim() === '' ? undefined : JSON.parse(bodyText);
  } catch (error) {
    return { notJson: (error as Error).message };
  }
  return { json, result: schema.safeParse(json) };
}

/** Parses a 2xx reply body; throws a DataCosmosError naming the first mismatch. */
export function parseReply<S extends z.ZodType>(exchange: Exchange, schema: S, bodyText: string): z.output<S> {
  const reading = readReply(schema, bodyText);
  if ('notJson' in reading) throw schemaError(exchange, 'response', `is not JSON: ${reading.notJson}`);
  if (!reading.result.success) throw mismatch(exchange, 'response', reading.result.error.issues);
  return reading.result.data;
}

/** Checks a request before anything is sent, so invalid input never reaches the API. */
export function parseRequest<S extends z.ZodType>(
  endpoint: EndpointName,
  method: string,
  schema: S,
  value: unknown,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw mismatch({ endpoint, method, unsafeToRepeat: false }, 'request', result.error.issues);
  return result.data;
}
