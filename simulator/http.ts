/** The reply model shared by all handlers, the API error type, and request body helpers. */
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';

export interface Reply {
  status: number;
  headers?: Record<string, string | number>;
  /** A JSON body; `raw` wins when both are set. */
  json?: unknown;
  raw?: Buffer | string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field: string | null = null,
    readonly headers: Record<string, string | number> = {},
  ) {
    super(message);
  }
}

export function ok(json: unknown, status = 200): Reply {
  return { status, json };
}

/** The success envelope of the data endpoints; `extra` may add fields or replace `errors` (some replies send null). */
export function data(payload: unknown, status = 200, extra: Record<string, unknown> = {}): Reply {
  return { status, json: { data: payload, errors: [], ...extra } };
}

/** The error envelope of every non-2xx reply. */
export interface ErrorBody {
  errors: { message: string; field: string | null; type: string; source: string; trace_id: string }[];
}

const ERROR_TYPES: Record<number, string> = {
  400: 'validation_error',
  401: 'unauthorized',
  402: 'payment_required',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  410: 'gone',
  416: 'range_not_satisfiable',
  429: 'rate_limited',
};

export function errorBody(status: number, message: string, field: string | null): ErrorBody {
  const type = ERROR_TYPES[status] ?? 'server_error';
  return { errors: [{ message, field, type, source: 'datacosmos-simulator', trace_id: randomUUID() }] };
}

/** `oauth`: the token endpoint also answers Auth0-style `error`/`error_description`, for clients of either style. */
export function errorReply(error: ApiError, oauth = false): Reply {
  const body = errorBody(error.status, error.message, error.field);
  const extra = oauth
    ? { error: error.status === 400 ? 'invalid_request' : 'access_denied', error_description: error.message }
    : {};
  return { status: error.status, headers: error.headers, json: { ...extra, ...body } };
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) throw new ApiError(400, 'request body is empty; expected JSON');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ApiError(400, 'request body is not valid JSON');
  }
}

/** Validates with zod; the first issue becomes a 400 naming its field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.map(String).join('.');
  throw new ApiError(400, field ? `invalid field "${field}": ${issue.message}` : issue.message, field || null);
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.');
}
