/**
 * Access tokens: HMAC-signed organisation id + expiry, so they need no storage and survive a
 * restart (the key lives in the data dir). Also the OAuth client-credentials token endpoint.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { ApiError, parseJsonBody, parseOrThrow, type Reply } from './http';
import type { ApiVariant } from './options';
import { findClient, findOrganisation, type SeedOrganisation } from './seed-data';

/** The audience that DataCosmos tokens are requested for. */
export const AUDIENCE = 'https://beeapp.open-cosmos.com';
export const TOKEN_SCOPE = 'data:catalog:read data:order:read data:order:write data:tasking:contract:read';

export interface Caller {
  organisation: SeedOrganisation;
  clientId: string;
  token: string;
}

interface TokenPayload {
  org: number;
  cid: string;
  exp: number;
  n: string;
}

export class TokenSigner {
  private readonly key: Buffer;

  constructor(keyHex: string) {
    this.key = Buffer.from(keyHex, 'hex');
  }

  issue(organisation: number, clientId: string, lifetimeS: number): string {
    const payload: TokenPayload = {
      org: organisation,
      cid: clientId,
      exp: Math.floor(Date.now() / 1000) + lifetimeS,
      n: randomBytes(6).toString('base64url'),
    };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The caller of a request, or a 401 saying whether the token is missing, invalid or expired. */
  authenticate(req: IncomingMessage): Caller {
    const header = req.headers.authorization;
    if (!header) throw new ApiError(401, 'missing bearer token: send Authorization: Bearer <token>');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError(401, 'invalid bearer token: Authorization header is not "Bearer <token>"');
    const token = match[1];
    const [body, signature] = token.split('.');
    if (!body || !signature || !this.verify(body, signature))
      throw new ApiError(401, 'invalid bearer token: bad signature');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as TokenPayload;
    if (payload.exp <= Date.now() / 1000) throw new ApiError(401, 'expired bearer token: request a new one');
    const organisation = findOrganisation(payload.org);
    if (!organisation) throw new ApiError(401, 'invalid bearer token: unknown organisation');
    return { organisation, clientId: payload.cid, token };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  private verify(body: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** A client-credentials grant, as JSON or as a form. */
const ClientCredentials = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  audience: z.string().min(1),
});

/** `documented` answers the published token reply only; `full` also names the granted scope, as Auth0 does. */
export function tokenReply(
  signer: TokenSigner,
  lifetimeS: number,
  variant: ApiVariant,
  req: IncomingMessage,
  body: Buffer,
): Reply {
  const request = parseOrThrow(ClientCredentials, parseTokenBody(req, body));
  const organisation = findClient(request.client_id);
  if (!organisation || !secretMatches(organisation.client_secret, request.client_secret))
    throw new ApiError(401, 'unknown client or wrong client secret');
  if (request.audience !== AUDIENCE) throw new ApiError(403, `audience must be ${AUDIENCE}`, 'audience');
  const reply = {
    access_token: signer.issue(organisation.id, organisation.client_id, lifetimeS),
    token_type: 'Bearer',
    expires_in: lifetimeS,
    ...(variant === 'full' ? { scope: TOKEN_SCOPE } : {}),
  };
  return { status: 200, headers: { 'cache-control': 'no-store' }, json: reply };
}

function parseTokenBody(req: IncomingMessage, body: Buffer): unknown {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded'))
    return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  return parseJsonBody(body);
}

function secretMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
