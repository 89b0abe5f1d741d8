/** The documented reply examples kept with the simulator, and a key-for-key shape comparison against them. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = path.resolve(__dirname, '../../simulator/fixtures/documented');

export type DocumentedFixture = 'order' | 'checkout' | 'price' | 'contracts' | 'token' | 'error';

export function documentedFixture(name: DocumentedFixture): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/**
 * Where `actual` differs in shape from `example`: a key only one of them has, or a value of another JSON
 * type (values themselves may differ). Each element of an array is compared with the example's first.
 */
export function shapeDifferences(actual: unknown, example: unknown, at = '$'): string[] {
  const kind = kindOf(example);
  if (kindOf(actual) !== kind) return [`${at}: ${kindOf(actual)} where the example has ${kind}`];
  if (kind === 'array') {
    const [first] = example as unknown[];
    if (first === undefined) return [];
    return (actual as unknown[]).flatMap((element, i) => shapeDifferences(element, first, `${at}[${i}]`));
  }
  if (kind !== 'object') return [];
  const got = actual as Record<string, unknown>;
  const want = example as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(want), ...Object.keys(got)])];
  return keys.flatMap((key) => {
    if (!(key in want)) return [`${at}.${key}: not in the example`];
    if (!(key in got)) return [`${at}.${key}: missing`];
    return shapeDifferences(got[key], want[key], `${at}.${key}`);
  });
}
