#!/usr/bin/env node
/**
 * An example receiver of datacosmos-purchase notifications (docs/batches.md, "Notifications"): it checks each
 * event's signature and timestamp, refuses a forged or stale one (401), acknowledges a repeated event id without
 * handling it again (every event comes at least once, sometimes more), and prints each new event as a JSON line.
 * Node.js built-ins only: copy it and replace `handle`.
 *
 *   NOTIFY_SECRET=... PORT=8789 node examples/notify-receiver.mjs
 *
 * The signature: header `X-DCP-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, the key being
 * the workers' NOTIFY_SECRET. Several v1 values may come (while the secret rotates): any one may match.
 */
import { Buffer } from 'node:buffer';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const secret = process.env.NOTIFY_SECRET;
const port = Number(process.env.PORT ?? 8789);
/** How far the signed timestamp may be from this machine's clock. */
const toleranceS = Number(process.env.NOTIFY_TOLERANCE_S ?? 300);
if (!secret) {
  process.stderr.write('notify-receiver: set NOTIFY_SECRET\n');
  process.exit(2);
}

/** Why this signature header does not vouch for this body, or null when it does. */
function signatureProblem(header, body, key, nowS = Date.now() / 1000) {
  if (typeof header !== 'string') return 'no X-DCP-Signature header';
  const fields = header.split(',').map((part) => part.trim().split('='));
  const t = fields.find(([name]) => name === 't')?.[1];
  const given = fields.filter(([name, value]) => name === 'v1' && /^[0-9a-f]{64}$/.test(value ?? ''));
  if (!t || !/^\d+$/.test(t) || given.length === 0) return 'malformed X-DCP-Signature header';
  const expected = createHmac('sha256', key).update(`${t}.`).update(body).digest();
  if (!given.some(([, value]) => timingSafeEqual(Buffer.from(value, 'hex'), expected))) return 'forged signature';
  if (Math.abs(nowS - Number(t)) > toleranceS) return 'stale timestamp';
  return null;
}

/** Event ids already handled (a real receiver keeps them in its database). */
const handled = new Set();

/** What a receiver does with an event: here, one JSON line on stdout. */
function handle(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    const problem =
      request.method === 'POST' ? signatureProblem(request.headers['x-dcp-signature'], body, secret) : 'POST only';
    if (problem) {
      process.stderr.write(`notify-receiver: refused: ${problem}\n`);
      response.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ refused: problem }));
      return;
    }
    const event = JSON.parse(body.toString('utf8'));
    const repeated = handled.has(event.eventId);
    if (!repeated) {
      handled.add(event.eventId);
      handle(event);
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: true, repeated }));
  });
});
server.listen(port, '127.0.0.1', () =>
  process.stderr.write(`notify-receiver: listening on http://127.0.0.1:${port}\n`),
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
