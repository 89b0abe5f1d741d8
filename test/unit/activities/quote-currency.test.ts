/** A quote is compared with a budget in the contract's currency: prices in another currency fail pricing. */
import { quoteCurrencyMismatch } from '../../../src/activities/pricing';
import type { Quote } from '../../../src/shared/purchase-types';

const quote = (currency: string): Quote => ({ lineItems: [], total: '150', currency });

test('prices in the contract currency pass; another currency is named, as a bare number would pass the budget', () => {
  expect(quoteCurrencyMismatch(quote('JPY'), 'JPY')).toBeNull();
  expect(quoteCurrencyMismatch(quote('eur'), 'EUR')).toBeNull();
  expect(quoteCurrencyMismatch(quote('USD'), 'JPY')).toBe(
    "prices came back in USD, not in the contract's currency JPY",
  );
  // A purchase started before the contract's currency was passed to pricing is priced as before.
  expect(quoteCurrencyMismatch(quote('USD'), undefined)).toBeNull();
});
