/** The payment provider's events are signed like Stripe's (src/signature/hmac-signature.ts), in `Stripe-Signature`. */
export { DEFAULT_TOLERANCE_S, signatureHeader, verifySignature } from '../signature/hmac-signature';

export const SIGNATURE_HEADER = 'stripe-signature';
