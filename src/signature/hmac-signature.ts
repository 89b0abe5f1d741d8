/**
 * Signed bodies in Stripe's scheme: a header `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. The timestamp is
 * inside the signed text, so a captured body cannot be replayed later with a fresh one. The payment webhook checks
 * the provider's events with it (`Stripe-Signature`), the notification activity signs outbound events (`X-DCP-Signature`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const DEFAULT_TOLERANCE_S = 300;

function hmacHex(secret: string, timestampS: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestampS}.`).update(body).digest('hex');
}

/** The header value for this body, signed at `timestampS` (default: now). */
export function signatureHeader(
  secret: string,
  body: string | Buffer,
  timestampS = Math.floor(Date.now() / 1000),
): string {
  return `t=${timestampS},v1=${hmacHex(secret, timestampS, body)}`;
}

export type SignatureCheck = { valid: true; timestampS: number } | { valid: false; problem: string };

/**
 * Checks the signature first (forged), then the timestamp against the tolerance (stale). Several v1 values: any may
 * match (secret rotation). `headerName` names the header in the problems.
 */
export function verifySignature(
  header: string | undefined,
  body: Buffer,
  secret: string,
  toleranceS = DEFAULT_TOLERANCE_S,
  nowS = Date.now() / 1000,
  headerName = 'Stripe-Signature',
): SignatureCheck {
  if (!header) return { valid: false, problem: `missing ${headerName} header` };
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamps = parts.filter(([key]) => key === 't').map(([, value]) => value);
  const signatures = parts
    .filter(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? ''))
    .map(([, v]) => v);
  if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0] ?? '') || signatures.length === 0)
    return { valid: false, problem: `malformed ${headerName} header (expected t=<unix seconds>,v1=<hex>)` };
  const timestampS = Number(timestamps[0]);
  const expected = Buffer.from(hmacHex(secret, timestampS, body), 'hex');
  if (!signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected)))
    return { valid: false, problem: 'signature does not match' };
  if (Math.abs(nowS - timestampS) > toleranceS)
    return { valid: false, problem: `timestamp ${timestampS} is outside the ${toleranceS} s tolerance` };
  return { valid: true, timestampS };
}
