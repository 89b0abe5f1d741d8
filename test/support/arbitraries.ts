/** Generated inputs for the property tests. */
import fc from 'fast-check';

/** Text that looks like the inputs people write, and text that does not. */
export const itemishText = fc.oneof(
  fc.string(),
  fc.stringMatching(/^[a-z0-9-]{1,12}\/[A-Z0-9_]{1,20}(@L[0-9A-Z]{1,3})?$/),
  fc.json(),
  fc
    .array(fc.record({ collection: fc.string(), item: fc.string(), level: fc.option(fc.string(), { nil: undefined }) }))
    .map((list) => JSON.stringify(list)),
);
