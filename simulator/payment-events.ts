/**
 * Stands in for Stripe's webhooks: when the checkout page takes a payment and a webhook is configured, a signed
 * `checkout.session.completed` event is POSTed there in the background, retried with backoff on failure
 * (each attempt signed afresh, as Stripe does), so the page reply never waits for the receiver.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Sim } from './context';
import type { OrderRecord } from './state';

const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000];
const ATTEMPT_TIMEOUT_MS = 5_000;

export function sendCheckoutCompleted(sim: Sim, order: OrderRecord): void {
  const { webhookUrl, webhookSecret } = sim.state.settings;
  if (!webhookUrl || !webhookSecret) return;
  // Stripe's event envelope; the session object names the DataCosmos order it paid.
  const event = {
    id: `evt_sim_${randomBytes(12).toString('hex')}`,
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        order_id: order.id,
        amount_total: order.total,
        currency: order.currency,
        payment_reference: order.payment_reference_number ?? null,
      },
    },
  };
  const body = JSON.stringify(event);
  void deliver(sim, webhookUrl, webhookSecret, body, event.id, order.id);
}

async function deliver(
  sim: Sim,
  url: string,
  secret: string,
  body: string,
  eventId: string,
  orderId: string,
): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await post(url, secret, body);
    const log = { event: eventId, orderId, attempt: attempt + 1, outcome };
    // 2xx: delivered. 400: the receiver refuses this event for good (a retry would be a replay).
    if (outcome === 400 || (typeof outcome === 'number' && outcome < 300)) {
      sim.log.info(log, 'payment webhook delivered');
      return;
    }
    if (attempt >= RETRY_DELAYS_MS.length) {
      sim.log.warn(log, 'payment webhook given up');
      return;
    }
    sim.log.info(log, 'payment webhook failed; retrying');
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]).unref());
  }
}

/** The reply status, or the network error's message. */
async function post(url: string, secret: string, body: string): Promise<number | string> {
  try {
    const reply = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': stripeSignature(secret, body) },
      body,
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    await reply.arrayBuffer();
    return reply.status;
  } catch (err) {
    return (err as Error).message;
  }
}

/** Stripe's signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
function stripeSignature(secret: string, body: string): string {
  const t = Math.floor(Date.now() / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}
