/**
 * What the webhook answers to one delivery: 400 for a forged, stale, replayed or malformed event, 404 when no
 * purchase knows the order (the provider retries later), 503 when Temporal cannot be reached, 2xx only once
 * the purchase has accepted the `paymentCompleted` signal (or has already finished).
 */
import type { Logger } from '../runtime/logger';
import { CHECKOUT_COMPLETED, CheckoutSessionSchema, PaymentEventSchema } from './webhook-event';
import { verifySignature } from './webhook-signature';
import { jsonDepthProblem } from '../shared/input-limits';
import { quoteValue } from '../shared/one-line';
import type { PaymentSignaller } from './purchase-signaller';
import type { ReplayGuard } from './replay-guard';

export interface WebhookReply {
  status: number;
  body: Record<string, unknown>;
}

export interface PaymentWebhookOptions {
  secret: string;
  toleranceS: number;
  guard: ReplayGuard;
  signalPaid: PaymentSignaller;
  log: Logger;
}

export type PaymentWebhook = (signature: string | undefined, body: Buffer) => Promise<WebhookReply>;

export function createPaymentWebhook(options: PaymentWebhookOptions): PaymentWebhook {
  const { secret, toleranceS, guard, signalPaid, log } = options;
  const refuse = (status: number, error: string, detail: Record<string, unknown> = {}): WebhookReply => {
    log.warn({ ...detail, status }, `payment event refused: ${error}`);
    return { status, body: { error } };
  };

  return async (signature, body) => {
    const check = verifySignature(signature, body, secret, toleranceS);
    if (!check.valid) return refuse(400, check.problem);
    const event = PaymentEventSchema.safeParse(parseJson(body));
    if (!event.success)
      return refuse(400, `malformed event: ${event.error.issues[0]?.path.join('.')} ${event.error.issues[0]?.message}`);
    const { id, type } = event.data;
    if (type !== CHECKOUT_COMPLETED) return { status: 200, body: { received: true, ignored: type } };
    const session = CheckoutSessionSchema.safeParse(event.data.data.object);
    if (!session.success)
      return refuse(
        400,
        `malformed ${type} event ${quoteValue(id)}: data.object.${session.error.issues[0]?.path.join('.')} ${session.error.issues[0]?.message}`,
      );
    const orderId = session.data.order_id;
    if (!guard.claim(id))
      return refuse(400, `event ${quoteValue(id)} was already received (replayed)`, { event: id, orderId });
    try {
      const result = await signalPaid(orderId, session.data.client_reference_id);
      if (result.outcome === 'unknown') {
        guard.release(id);
        return refuse(404, `no purchase waits on order ${orderId}`, { event: id, orderId });
      }
      log.info({ event: id, orderId, purchaseId: result.purchaseId, outcome: result.outcome }, 'payment event handled');
      return { status: 200, body: { received: true, purchaseId: result.purchaseId, outcome: result.outcome } };
    } catch (err) {
      guard.release(id);
      log.error({ event: id, orderId, err: (err as Error).message }, 'payment event not delivered to Temporal');
      return {
        status: 503,
        body: { error: `cannot signal the purchase of order ${orderId}: Temporal is unavailable` },
      };
    }
  };
}

/** The event as JSON; undefined for a body that is not JSON or is nested deeper than any event. */
function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8');
  if (jsonDepthProblem(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
