/**
 * Bad input, end to end: flags, item and search files, environment, and upstream replies. Each case must
 * exit with its own code, say in one line what is wrong, and create no order.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../local/ports';
import { CliStack, type Run } from './support/cli-stack';

let cli: CliStack;
let item: string;
let files: string;

beforeAll(async () => {
  cli = await CliStack.start();
  const [owned] = await cli.items(2);
  [, item] = await cli.items(2);
  // One order exists, so the order list has something to drift.
  expect((await cli.dcp(['buy', '--item', owned])).code).toBe(0);
  files = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-bad-input-'));
  const write = (name: string, text: string) => fs.writeFileSync(path.join(files, name), text);
  write('bad-header.csv', 'collection;item\nmenut-l1c-cogs;X\n');
  write('malformed.json', '[{"collection": "menut-l1c-cogs", "item": ');
  write('broken-line.ndjson', '{"collection":"menut-l1c-cogs","item":"A"}\n{"collection": \n');
  write('unknown-field.json', JSON.stringify({ collections: ['menut-l1c-cogs'], cloudiness: 5 }));
  write('ok.csv', `collection,item\n${item.replace('/', ',')}\n`);
}, 120_000);

afterAll(async () => {
  await cli?.stop();
});

const production = () => ({
  DATACOSMOS_CLIENT_ID: 'acme-pipeline',
  DATACOSMOS_CLIENT_SECRET: 'acme-secret-1001',
  DATACOSMOS_ORGANISATION_ID: '1001',
  DATACOSMOS_API_URL: cli.dev.stack.simulator.url,
  DATACOSMOS_AUTH_URL: cli.dev.stack.simulator.url,
  TEMPORAL_ADDRESS: cli.dev.stack.temporal.address,
});

/** The one line that explains a failure: stderr for refusals, the result's first line for purchases that ran. */
function explanation(run: Run): string {
  if (run.stdout.startsWith('purchase ')) return run.stdout.split('\n')[0];
  return run.stderr.trim();
}

interface Case {
  name: string;
  args: () => string[];
  env?: () => Record<string, string>;
  before?: () => Promise<unknown>;
  after?: () => Promise<unknown>;
  code: number;
  message: string | RegExp;
}

const f = (name: string) => path.join(files, name);

const cases: Case[] = [
  // command-line flags
  {
    name: 'item without a collection',
    args: () => ['buy', '--item', 'no-slash'],
    code: 2,
    message: "argument 'no-slash' is invalid. must be COLLECTION/ITEM",
  },
  {
    name: 'negative budget',
    args: () => ['buy', '--item', item, '--max-total', '-5'],
    code: 2,
    message: "argument '-5' is invalid. must be a positive decimal amount",
  },
  {
    name: 'non-numeric budget',
    args: () => ['buy', '--item', item, '--max-total', 'ten'],
    code: 2,
    message: "argument 'ten' is invalid. must be a positive decimal amount",
  },
  {
    name: 'duplicate items',
    args: () => ['buy', '--item', item, '--item', item],
    code: 2,
    message: /items\[1\]: duplicate item menut-l1c-cogs\//,
  },
  {
    name: 'bad duration',
    args: () => ['buy', '--item', item, '--payment-window', 'soon'],
    code: 2,
    message: "option '--payment-window <duration>' argument 'soon' is invalid. must be a duration",
  },
  {
    name: 'bad contract id',
    args: () => ['buy', '--item', item, '--contract', 'abc'],
    code: 2,
    message: "argument 'abc' is invalid. must be a whole number",
  },
  {
    name: 'bbox with three numbers',
    args: () => ['search', '--bbox', '10,50,20'],
    code: 2,
    message: "option '--bbox <w,s,e,n>' argument '10,50,20' is invalid. must be WEST,SOUTH,EAST,NORTH",
  },
  {
    name: 'bbox with an empty part',
    args: () => ['search', '--bbox', '10,,20,40'],
    code: 2,
    message: "option '--bbox <w,s,e,n>' argument '10,,20,40' is invalid. must be WEST,SOUTH,EAST,NORTH",
  },
  {
    name: 'a duration over ten years',
    args: () => ['buy', '--item', item, '--payment-window', '3651d'],
    code: 2,
    message: "argument '3651d' is invalid. must be a duration from 1ms to 3650d",
  },
  {
    name: 'bbox south above north',
    args: () => ['search', '--bbox', '10,60,20,50'],
    code: 2,
    message: 'with south below north',
  },
  {
    name: 'bbox out of range',
    args: () => ['search', '--bbox', '200,0,210,10'],
    code: 2,
    message: 'must lie within -180..180',
  },
  {
    name: 'datetime not RFC 3339',
    args: () => ['search', '--datetime', 'yesterday'],
    code: 2,
    message: "option '--datetime <range>' argument 'yesterday' is invalid. must be an RFC 3339 instant",
  },
  {
    name: 'datetime interval backwards',
    args: () => ['search', '--datetime', '2025-01-01T00:00:00Z/2024-01-01T00:00:00Z'],
    code: 2,
    message: 'ends before it starts',
  },
  {
    name: 'search limit zero',
    args: () => ['search', '--limit', '0'],
    code: 2,
    message: "option '--limit <n>' argument '0' is invalid. must be a whole number from 1 to 10000",
  },
  // item and search files
  {
    name: 'missing item file',
    args: () => ['batch', '--items', f('nope.csv'), '--budget', '100'],
    code: 2,
    message: 'nope.csv',
  },
  {
    name: 'CSV with a wrong header',
    args: () => ['batch', '--items', f('bad-header.csv'), '--budget', '100'],
    code: 2,
    message: 'bad-header.csv',
  },
  {
    name: 'malformed JSON item file',
    args: () => ['batch', '--items', f('malformed.json'), '--budget', '100'],
    code: 2,
    message: 'malformed.json',
  },
  {
    name: 'NDJSON with a broken line',
    args: () => ['batch', '--items', f('broken-line.ndjson'), '--budget', '100'],
    code: 2,
    message: /broken-line\.ndjson.*line 2/,
  },
  {
    name: 'search file with an unknown field',
    args: () => ['batch', '--search', f('unknown-field.json'), '--budget', '100'],
    code: 2,
    message: 'cloudiness',
  },
  {
    name: 'negative batch budget',
    args: () => ['batch', '--items', f('ok.csv'), '--budget', '-1'],
    code: 2,
    message: "argument '-1' is invalid. must be a positive decimal amount",
  },
  {
    name: 'oversized orders',
    args: () => ['batch', '--items', f('ok.csv'), '--budget', '100', '--items-per-order', '100000'],
    code: 2,
    message: "option '--items-per-order <n>' argument '100000' is invalid. must be a whole number from 1 to 500",
  },
  // environment
  {
    name: 'organisation id not a number',
    args: () => ['list'],
    env: () => ({ ...production(), DATACOSMOS_ORGANISATION_ID: 'acme' }),
    code: 2,
    message: 'DATACOSMOS_ORGANISATION_ID must be a positive whole number',
  },
  {
    name: 'API URL not http',
    args: () => ['list'],
    env: () => ({ ...production(), DATACOSMOS_API_URL: 'ftp://example' }),
    code: 2,
    message: 'DATACOSMOS_API_URL',
  },
  {
    name: 'half the production settings',
    args: () => ['list'],
    env: () => ({ DATACOSMOS_CLIENT_ID: 'x' }),
    code: 2,
    message: /DATACOSMOS_CLIENT_SECRET is required.*DATACOSMOS_ORGANISATION_ID/,
  },
  {
    name: 'Temporal address without a port',
    args: () => ['list'],
    env: () => ({ ...production(), TEMPORAL_ADDRESS: 'localhost' }),
    code: 2,
    message: 'TEMPORAL_ADDRESS must be HOST:PORT',
  },
  // upstream replies
  {
    name: 'wrong client secret',
    args: () => ['search', '--limit', '1'],
    env: () => ({ ...production(), DATACOSMOS_CLIENT_SECRET: 'wrong' }),
    code: 6,
    message: /token POST failed \(401\)/,
  },
  {
    name: 'malformed JSON from the catalog',
    args: () => ['search', '--limit', '1', '--no-prices'],
    before: () => cli.admin.setFaults({ seed: 1, endpoints: { stac_search: { malformed: 1 } } }),
    after: () => cli.admin.setFaults({}),
    code: 6,
    message: /^dcp: stac_search/,
  },
  {
    name: 'schema drift in the order list',
    args: () => ['orders'],
    before: () => cli.admin.setFaults({ seed: 1, endpoints: { order_list: { schemaDrift: 1 } } }),
    after: () => cli.admin.setFaults({}),
    code: 6,
    message: /^dcp: order_list: response data\[\d+\]\./,
  },
  {
    name: 'unknown item',
    args: () => ['buy', '--item', 'menut-l1c-cogs/NO_SUCH_ITEM@L1C'],
    code: 6,
    message: /FAILED .*NO_SUCH_ITEM/,
  },
  {
    name: 'unknown collection',
    args: () => ['search', '--collection', 'no-such-collection', '--no-prices'],
    code: 2,
    message: 'unknown collection no-such-collection',
  },
  {
    name: "another organisation's contract",
    args: () => ['buy', '--item', item, '--contract', '6001'],
    code: 6,
    message: 'contract 6001 does not belong to organisation 1001',
  },
  {
    name: 'inactive contract',
    args: () => ['buy', '--item', item, '--contract', '5003'],
    code: 6,
    message: 'contract 5003 is not active',
  },
  {
    name: 'contract outside its order window',
    args: () => ['buy', '--item', item, '--contract', '5004'],
    code: 6,
    message: /contract 5004 accepts orders only from/,
  },
  {
    name: 'unreachable Temporal',
    args: () => ['list'],
    env: () => ({ ...production(), TEMPORAL_ADDRESS: `127.0.0.1:${unusedPort}` }),
    code: 7,
    message: /^dcp: cannot reach Temporal at 127\.0\.0\.1:\d+/,
  },
  {
    name: 'unreachable API',
    args: () => ['search', '--limit', '1'],
    env: () => ({
      ...production(),
      DATACOSMOS_API_URL: `http://127.0.0.1:${unusedPort}`,
      DATACOSMOS_AUTH_URL: `http://127.0.0.1:${unusedPort}`,
    }),
    code: 7,
    message: /ECONNREFUSED|refused/,
  },
];

let unusedPort = 0;
beforeAll(async () => {
  unusedPort = await freePort();
});

test(`there are at least 25 bad-input cases (${cases.length})`, () => {
  expect(cases.length).toBeGreaterThanOrEqual(25);
});

test.each(cases.map((c) => [c.name, c] as const))(
  '%s',
  async (_name, c) => {
    const orders = [await cli.orderCount(1001), await cli.orderCount(1003)];
    await c.before?.();
    let run: Run;
    try {
      run = await cli.dcp(c.args(), c.env?.());
    } finally {
      await c.after?.();
    }
    const line = explanation(run);
    expect({ code: run.code, line }).toMatchObject({ code: c.code });
    expect(line.split('\n')).toHaveLength(1);
    if (typeof c.message === 'string') expect(line).toContain(c.message);
    else expect(line).toMatch(c.message);
    expect(line).not.toContain('acme-secret-1001');
    expect([await cli.orderCount(1001), await cli.orderCount(1003)]).toEqual(orders);
  },
  60_000,
);
