/** The HTTP side of the payment webhook: one POST route, bounded bodies, JSON replies. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LIMITS } from '../shared/input-limits';
import { SIGNATURE_HEADER } from './webhook-signature';
import type { PaymentWebhook, WebhookReply } from './payment-webhook';

export const WEBHOOK_PATH = '/webhooks/payment';
const MAX_BODY_BYTES = LIMITS.webhookBodyBytes;

export interface WebhookServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebhookServer(options: {
  host: string;
  port: number;
  webhook: PaymentWebhook;
}): Promise<WebhookServer> {
  const server = createServer((req, res) => {
    route(req, options.webhook).then(
      (reply) => {
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
      },
      () => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'internal error' }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}${WEBHOOK_PATH}`,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function route(req: IncomingMessage, webhook: PaymentWebhook): Promise<WebhookReply> {
  const path = new URL(req.url ?? '/', 'http://webhook').pathname;
  if (path !== WEBHOOK_PATH) return { status: 404, body: { error: `no such path ${path}` } };
  if (req.method !== 'POST') return { status: 405, body: { error: `${req.method} is not allowed; POST the event` } };
  const body = await readBody(req);
  if (body === undefined) return { status: 413, body: { error: `event larger than ${MAX_BODY_BYTES} bytes` } };
  const signature = req.headers[SIGNATURE_HEADER];
  return webhook(Array.isArray(signature) ? signature.join(',') : signature, body);
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
