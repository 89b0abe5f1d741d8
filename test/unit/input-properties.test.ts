/**
 * Properties over thousands of generated inputs, for everything that reads outside input: the item-file parsers,
 * the option parsers and the webhook body. Each input ends in a valid result or in the one refusal the command
 * turns into exit 2 with one `dcp:` line (ItemFileError, commander's InvalidArgumentError, a 4xx reply): never
 * another error, a hang or a crash. A value quoted into a refusal is escaped and shortened (quoteValue), so the
 * line stays one short line whatever the value. A sample of them runs through the real `dcp` program in
 * test/cli-contract.test.ts.
 */
import { InvalidArgumentError } from 'commander';
import fc from 'fast-check';
import pino from 'pino';
import { ItemFileError, parseItemFile, parseSearch, type ItemFileFormat } from '../../src/cli/item-files';
import { amount, bbox, datetime, duration, id, integer, itemRef } from '../../src/cli/options';
import { quoteValue } from '../../src/shared/one-line';
import { createPaymentWebhook } from '../../src/webhook/payment-webhook';
import { ReplayGuard } from '../../src/webhook/replay-guard';
import { signatureHeader } from '../../src/webhook/webhook-signature';
import { itemishText } from '../support/arbitraries';
import { parseOnly } from '../support/parse-only';

const RUNS = 2_000;

/** What no one-line message may hold: control and format characters, line separators, lone surrogates. */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Strings with what breaks lines and quotes, of any length up to `maxLength`. */
const awkwardText = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({
      unit: fc.constantFrom('a', '\n', '\r', '"', "'", '\\', '\u2028', '\u202e', '\ud800', '\u0000'),
      maxLength,
    }),
  );

/** The refusals a command turns into exit 2 and one line. */
function isRefusal(err: unknown): boolean {
  return err instanceof ItemFileError || err instanceof InvalidArgumentError;
}

function refusedOrValid<T>(read: () => T, valid: (value: T) => boolean): boolean {
  try {
    return valid(read());
  } catch (err) {
    if (!isRefusal(err)) throw err;
    const message = (err as Error).message;
    return message.length > 0 && !UNPRINTABLE.test(message);
  }
}

test('item files: any text in any format is a list of items or one refusal line', () => {
  fc.assert(
    fc.property(itemishText, fc.constantFrom<ItemFileFormat>('json', 'csv', 'ndjson'), (text, format) =>
      refusedOrValid(
        () => parseItemFile(text, format, 'items'),
        (items) =>
          items.length > 0 && items.every((i) => typeof i.collection === 'string' && typeof i.item === 'string'),
      ),
    ),
    { numRuns: RUNS },
  );
});

test('item files: a huge value in any place is refused in one short line', () => {
  const huge = fc.string({ unit: 'binary', minLength: 300, maxLength: 20_000 });
  const files = fc.oneof(
    huge.map((value): [string, ItemFileFormat] => [JSON.stringify([value]), 'json']),
    huge.map((value): [string, ItemFileFormat] => [JSON.stringify([`c/${value}`]), 'json']),
    huge.map((value): [string, ItemFileFormat] => [`${JSON.stringify({ collection: 'c', item: value })}\n`, 'ndjson']),
    huge.map((value): [string, ItemFileFormat] => [`collection,item\nc,${value.replace(/[,\r\n]/g, '')}`, 'csv']),
    huge.map((value): [string, ItemFileFormat] => [`[${value}`, 'json']),
  );
  fc.assert(
    fc.property(files, ([text, format]) =>
      refusedOrValid(
        () => parseItemFile(text, format, 'items'),
        () => true,
      ),
    ),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(files, ([text, format]) => {
      try {
        parseItemFile(text, format, 'items');
        return true;
      } catch (err) {
        return (err as Error).message.length <= 300;
      }
    }),
    { numRuns: 200 },
  );
  const fiveMegabytes = 'x'.repeat(5 * 1024 * 1024);
  expect(() => parseItemFile(JSON.stringify([`c/${fiveMegabytes}`]), 'json', 'items.json')).toThrow(
    `items.json entry 1: "c/${'x'.repeat(78)}…" (${fiveMegabytes.length + 2} characters) is not COLLECTION/ITEM`,
  );
  const manyFields = Object.fromEntries(
    [...Array(10_000).keys()].map((k) => [`${fiveMegabytes.slice(0, 100)}${k}`, 1]),
  );
  expect(() => parseSearch(JSON.stringify({ [fiveMegabytes]: 1 }), 's.json')).toThrow(/^s\.json: .{0,300}$/);
  expect(() => parseSearch(JSON.stringify(manyFields), 's.json')).toThrow(/^s\.json: .{0,400} and 9997 more /);
});

test('item files: CSV lines built from item parts read back as those items, or are refused', () => {
  const part = fc.stringMatching(/^[^\s,"@/]{1,30}$/);
  fc.assert(
    fc.property(fc.array(fc.tuple(part, part), { minLength: 1, maxLength: 20 }), (pairs) => {
      const csv = ['collection,item', ...pairs.map(([c, i]) => `${c},${i}`)].join('\n');
      return refusedOrValid(
        () => parseItemFile(csv, 'csv', 'items.csv'),
        (items) => items.every((item, k) => item.collection === pairs[k][0].trim() && item.item === pairs[k][1].trim()),
      );
    }),
    { numRuns: RUNS },
  );
});

test('search files: any JSON text is a search or one refusal line; deep nesting is refused before parsing', () => {
  fc.assert(
    fc.property(fc.oneof(fc.json(), fc.string()), (text) =>
      refusedOrValid(
        () => parseSearch(text, 'search.json'),
        () => true,
      ),
    ),
    { numRuns: RUNS },
  );
  expect(() => parseSearch(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'deep.json')).toThrow(
    'deep.json: JSON nested 100000 levels deep, over the limit of 32',
  );
});

test('option parsers: any text is a value in range or one refusal naming what is wanted', () => {
  const parsers: Array<[(text: string) => unknown, (value: unknown) => boolean]> = [
    [integer(1, 10_000), (n) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 10_000],
    [amount, (a) => /^\d+(\.\d+)?$/.test(a as string)],
    [duration, (ms) => Number.isFinite(ms) && (ms as number) > 0],
    [id, (v) => typeof v === 'string' && (v as string).length <= 200],
    [itemRef, (v) => typeof (v as { item: string }).item === 'string'],
    [bbox, (v) => Array.isArray(v) && v.length === 4],
    [datetime, (v) => typeof v === 'string'],
  ];
  const text = fc.oneof(fc.string(), fc.stringMatching(/^-?[0-9.]{0,12}(ms|s|m|h|d)?$/), fc.string({ unit: 'binary' }));
  for (const [parse, valid] of parsers) {
    fc.assert(
      fc.property(text, (t) => refusedOrValid(() => parse(t), valid)),
      { numRuns: RUNS },
    );
  }
});

test('quoted values: one line, shortened past max with the length, read back by JSON.parse', () => {
  fc.assert(
    fc.property(awkwardText(400), fc.integer({ min: 1, max: 120 }), (value, max) => {
      const whole = quoteValue(value, { max: Infinity });
      const short = quoteValue(value, { max });
      if (UNPRINTABLE.test(whole) || UNPRINTABLE.test(short) || JSON.parse(whole) !== value) return false;
      if (short === whole) return whole.length <= max + 2;
      const cut = /^("[^]*)…" \((\d+) characters\)$/.exec(short);
      return (
        cut !== null &&
        cut[1].length - 1 <= max &&
        Number(cut[2]) === value.length &&
        value.startsWith(JSON.parse(`${cut[1]}"`) as string)
      );
    }),
    { numRuns: RUNS },
  );
  expect(quoteValue("it's", { quote: "'" })).toBe("'it\\'s'");
});

test('usage errors: whatever an option value or a word holds, one dcp: line of bounded length', async () => {
  const lines = [
    (value: string) => ['buy', '--item', 'c/i', '--purchase-id', value],
    (value: string) => ['list', '--limit', value],
    (value: string) => ['completion', value],
    (value: string) => ['list', `--${value}`],
    (value: string) => [`x${value}`],
  ];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...lines), fc.oneof(awkwardText(50), awkwardText(5_000)), async (line, value) => {
      const parsed = await parseOnly(line(value));
      if (!parsed.error) return parsed.command !== undefined;
      return /^dcp: [^\n]{1,300}\n$/.test(parsed.stderr) && !UNPRINTABLE.test(parsed.stderr.trimEnd());
    }),
    { numRuns: 500 },
  );
  const huge = await parseOnly(['buy', '--item', 'c/i', '--purchase-id', 'x'.repeat(5 * 1024 * 1024)]);
  expect(huge.stderr).toMatch(/^dcp: option '--purchase-id <key>' argument 'x+…' \(5242880 characters\) is invalid\./);
  expect(huge.stderr.length).toBeLessThan(300);
});

test('webhook bodies: any body, signed or not, gets a 2xx or a 4xx with a reason, never a crash', async () => {
  const secret = 'whsec_property_test_secret';
  const webhook = createPaymentWebhook({
    secret,
    toleranceS: 300,
    guard: new ReplayGuard(300),
    signalPaid: async () => ({ outcome: 'unknown' as const }),
    log: pino({ level: 'silent' }),
  });
  const body = fc.oneof(
    fc.string(),
    fc.json(),
    fc
      .record({
        id: fc.string(),
        type: fc.string(),
        data: fc.record({ object: fc.dictionary(fc.string(), fc.json()) }),
      })
      .map((e) => JSON.stringify(e)),
    fc.constant(`${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}`),
  );
  await fc.assert(
    fc.asyncProperty(body, fc.boolean(), async (text, signed) => {
      const bytes = Buffer.from(text);
      const reply = await webhook(signed ? signatureHeader(secret, bytes) : undefined, bytes);
      return reply.status < 300 || (reply.status >= 400 && reply.status < 500 && typeof reply.body.error === 'string');
    }),
    { numRuns: RUNS },
  );
});
