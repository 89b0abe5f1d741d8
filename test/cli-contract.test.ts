/**
 * `dcp` as a contract for scripts, command by command: results on stdout, progress and notes on stderr, and for
 * every non-zero exit exactly one final stderr line `dcp: ...` naming the problem (and no other `dcp:` line). Output
 * is complete before the process exits, through a pipe and through a slow reader, for more than 1 MB of JSON.
 */
import { execFile, spawn } from 'node:child_process';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { itemishText } from './support/arbitraries';
import { CliStack, type Run } from './support/cli-stack';

let cli: CliStack;
let items: string[];
let paid: { purchaseId: string; orderId: string };
const dcp = (args: string[], env?: Record<string, string>) => cli.dcp(args, env);

beforeAll(async () => {
  cli = await CliStack.start();
  items = await cli.items(6);
  const bought = await dcp(['buy', '--item', items[0], '--json']);
  expect(bought.code).toBe(0);
  paid = JSON.parse(bought.stdout);
}, 120_000);

afterAll(async () => {
  await cli?.stop();
});

/** The stream contract of a failing run: its exit code, and one `dcp:` line, last, matching `line`. */
function expectFailure(run: Run, code: number, line: RegExp | string): void {
  expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code });
  const lines = run.stderr.trimEnd().split('\n');
  const last = lines[lines.length - 1];
  if (typeof line === 'string') expect(last).toBe(`dcp: ${line}`);
  else expect(last).toMatch(line);
  expect(lines.filter((l) => l.startsWith('dcp:'))).toHaveLength(1);
}

function expectSuccess(run: Run): void {
  expect({ code: run.code, stderr: run.stderr }).toMatchObject({ code: 0 });
  expect(run.stderr.split('\n').filter((l) => l.startsWith('dcp:'))).toEqual([]);
}

test.each([
  [
    'buy: a purchase that ends FAILED',
    () => ['buy', '--item', items[1], '--contract', '6001'],
    6,
    /^dcp: purchase \S+ ended FAILED: contract 6001 does not belong to organisation 1001$/,
  ],
  [
    'buy: a level the catalog does not know',
    () => ['buy', '--item', `${items[1]}@L9`],
    6,
    /^dcp: purchase \S+ ended FAILED: .* has processing level \S+ in the catalog, not L9$/,
  ],
  [
    'buy: over budget, rejected',
    () => ['buy', '--item', items[2], '--max-total', '0.01'],
    5,
    /^dcp: purchase \S+ ended REJECTED: total .* is over the budget of 0\.01 EUR$/,
  ],
  [
    'redrive: a COMPLETED purchase',
    () => ['redrive', paid.purchaseId],
    2,
    /^dcp: purchase \S+ ended COMPLETED: only a FAILED or EXPIRED purchase can be redriven$/,
  ],
  [
    'redeliver: a purchase that asked for no delivery',
    () => ['redeliver', paid.purchaseId],
    2,
    /^dcp: purchase \S+ asked for no delivery: give --deliver$/,
  ],
  [
    'buy: a bucket name S3 refuses',
    () => ['buy', '--item', items[1], '--deliver', 's3://Imagery/in'],
    2,
    /^dcp: option '--deliver <dir\|s3-url>' argument 's3:\/\/Imagery\/in' is invalid\. bucket "Imagery" may hold only /,
  ],
  ['status: an unknown id', () => ['status', 'no-such-purchase'], 2, 'no purchase with id no-such-purchase'],
  ['cancel: an unknown id', () => ['cancel', 'no-such-purchase'], 2, 'no purchase with id no-such-purchase'],
  [
    'approve: a finished purchase',
    () => ['approve', paid.purchaseId],
    2,
    /^dcp: purchase \S+ has already ended \(COMPLETED\)$/,
  ],
  [
    'extend: a bad duration',
    () => ['extend', paid.purchaseId, '--by', 'later'],
    2,
    /^dcp: option '--by <duration>' argument 'later' is invalid\./,
  ],
  ['paid: an unknown id', () => ['paid', 'no-such-purchase'], 2, 'no purchase with id no-such-purchase'],
  [
    'adopt: a purchase that needs no attention',
    () => ['adopt', paid.purchaseId, '--order', 'o-1'],
    2,
    /^dcp: purchase \S+ has already ended \(COMPLETED\)$/,
  ],
  [
    'list: a bad limit',
    () => ['list', '--limit', 'banana'],
    2,
    /^dcp: option '--limit <n>' argument 'banana' is invalid\. must be a whole number from 1 to 10000$/,
  ],
  [
    'watch: a bad interval',
    () => ['watch', '--once', '--interval', 'banana'],
    2,
    /^dcp: option '--interval <seconds>' argument 'banana' is invalid\./,
  ],
  [
    'claims release: an item no one claims',
    () => ['claims', 'release', 'menut-l1c-cogs/NOBODY'],
    2,
    'menut-l1c-cogs/NOBODY is not claimed',
  ],
  [
    'search: an unknown collection',
    () => ['search', '--collection', 'nope', '--no-prices'],
    2,
    /^dcp: unknown collection nope \(known: /,
  ],
  [
    'orders: a bad status',
    () => ['orders', '--status', 'GONE'],
    2,
    /^dcp: option '--status <status>' argument 'GONE' is invalid\./,
  ],
  ['probe: a wrong secret', () => ['probe'], 6, 'the API does not answer everything a purchase needs: token'],
  [
    'batch: no input file',
    () => ['batch', '--budget', '10'],
    2,
    'give exactly one of --search FILE, --items FILE or --aoi FILE',
  ],
  ['batch status: an unknown batch', () => ['batch', 'status', 'no-such-batch'], 2, /^dcp: .*no-such-batch/],
  [
    'schedule pause: an unknown schedule',
    () => ['schedule', 'pause', 'no-such-schedule'],
    2,
    'no schedule with id no-such-schedule',
  ],
  [
    'webhook: no signing secret',
    () => ['webhook', '--port', '0'],
    2,
    /^dcp: invalid configuration: DCP_WEBHOOK_SECRET is required$/,
  ],
  [
    'completion: an unknown shell',
    () => ['completion', 'tcsh'],
    2,
    /^dcp: command-argument value 'tcsh' is invalid for argument 'shell'\./,
  ],
  ['an unknown command', () => ['frobnicate'], 2, /^dcp: unknown command 'frobnicate'/],
] as const)('%s: its exit code and one final dcp: line', async (_name, args, code, line) => {
  const env: Record<string, string> = args()[0] === 'probe' ? await wrongSecret() : {};
  expectFailure(await dcp([...args()], env), code, line);
});

/** The local stack's settings with a wrong client secret (production variables, so the stack file is not read). */
async function wrongSecret(): Promise<Record<string, string>> {
  const stack = JSON.parse(fs.readFileSync(path.join(cli.dataDir, 'stack.json'), 'utf8'));
  return {
    DATACOSMOS_API_URL: stack.datacosmos.apiUrl,
    DATACOSMOS_AUTH_URL: stack.datacosmos.authUrl,
    DATACOSMOS_CLIENT_ID: stack.datacosmos.clientId,
    DATACOSMOS_CLIENT_SECRET: 'wrong',
    DATACOSMOS_ORGANISATION_ID: String(stack.datacosmos.organisationId),
    TEMPORAL_ADDRESS: stack.temporal.address,
  };
}

test('a batch with a failed item: the report on stdout, exit 8, one final line', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-contract-'));
  const file = path.join(dir, 'items.ndjson');
  fs.writeFileSync(file, `"${items[3]}"\n"menut-l1c-cogs/NO_SUCH_ITEM"\n`);
  const run = await dcp(['batch', '--items', file, '--budget', '100000', '--json']);
  expect(JSON.parse(run.stdout).counts).toMatchObject({ PAID: 1, FAILED: 1 });
  expectFailure(run, 8, /^dcp: batch \S+ finished with 1 failed item\(s\)$/);
});

test('a value with a newline, and a 5 MB item id in a file: exit 2 and one short dcp: line', async () => {
  const newline = await dcp(['buy', '--item', items[4], '--purchase-id', 'two\nlines']);
  expectFailure(newline, 2, /^dcp: option '--purchase-id <key>' argument 'two\\nlines' is invalid\. /);
  expect(newline.stderr.trimEnd().split('\n')).toHaveLength(1);

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-contract-')), 'huge-id.json');
  const id = `menut-l1c-cogs/${'x'.repeat(5 * 1024 * 1024)}`;
  fs.writeFileSync(file, JSON.stringify([id]));
  const huge = await dcp(['batch', '--items', file, '--budget', '10']);
  expectFailure(
    huge,
    2,
    `huge-id.json entry 1: "${id.slice(0, 80)}…" (${id.length} characters) is not COLLECTION/ITEM or COLLECTION/ITEM@LEVEL`,
  );
  expect(huge.stderr.length).toBeLessThan(300);
});

test('successes: results on stdout, nothing that reads as a failure on stderr', async () => {
  for (const args of [
    ['status', paid.purchaseId, '--json'],
    ['list', '--json'],
    ['watch', '--once'],
    ['claims', '--json'],
    ['orders', '--json'],
    ['probe', '--json'],
    ['schedule', 'list', '--json'],
    ['completion', 'bash'],
    ['--help'],
  ]) {
    const run = await dcp(args);
    expectSuccess(run);
    expect(run.stdout.length).toBeGreaterThan(0);
  }
  // An item owned already: nothing is bought, and that is what the caller wanted (exit 0).
  const owned = await dcp(['buy', '--item', items[0], '--purchase-id', 'contract-owned', '--json']);
  expectSuccess(owned);
  expect(JSON.parse(owned.stdout)).toMatchObject({ end: 'ALREADY_OWNED', dropped: [{ orderId: paid.orderId }] });
});

test('more than 1 MB of JSON arrives whole through a pipe and through a slow reader', async () => {
  const args = ['search', '--limit', '1500', '--json'];
  const piped = await dcp(args);
  expectSuccess(piped);
  expect(piped.stdout.length).toBeGreaterThan(1024 * 1024);
  expect(JSON.parse(piped.stdout)).toHaveLength(1500);

  // A reader that takes a pause after every chunk: dcp must wait for it before exiting.
  const child = spawn(process.execPath, [path.resolve(__dirname, '../dist/src/starter.js'), ...args], {
    env: { PATH: process.env.PATH, DCP_DATA_DIR: cli.dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 2);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  expect(code).toBe(0);
  const text = Buffer.concat(chunks).toString();
  expect(text).toBe(piped.stdout);
  expect(JSON.parse(text)).toHaveLength(1500);
}, 120_000);

test('completion scripts for bash, zsh and fish name every command, and bash completes them', async () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    const run = await dcp(['completion', shell]);
    expectSuccess(run);
    for (const word of ['buy', 'batch', 'claims', 'probe', 'adopt', 'when-claimed']) expect(run.stdout).toContain(word);
  }
  const script = (await dcp(['completion', 'bash'])).stdout;
  const complete = (line: string) =>
    new Promise<string>((resolve) => {
      const words = line.split(' ');
      const bash = spawn('bash', [
        '-c',
        `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _dcp_completion; echo "\${COMPREPLY[*]}"`,
      ]);
      let out = '';
      bash.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      bash.on('close', () => resolve(out.trim()));
    });
  expect((await complete('dcp ba')).split(' ')).toEqual(['batch']);
  expect((await complete('dcp batch st')).split(' ')).toEqual(['status']);
  expect((await complete('dcp buy --when-claimed ')).split(' ').sort()).toEqual(['drop', 'wait']);
  expect(await complete('dcp list --stage NEEDS')).toBe('NEEDS_ATTENTION');
});

test('generated item files through the real program: exit 2 with one dcp: line, or (read) exit 7 at the missing Temporal', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-properties-'));
  const samples = fc.sample(fc.tuple(itemishText, fc.constantFrom('json', 'csv', 'ndjson')), 12);
  for (const [k, [text, format]] of samples.entries()) {
    const file = path.join(dir, `items-${k}.${format}`);
    fs.writeFileSync(file, text);
    // No Temporal is configured: a file that reads stops at the connection (exit 7); one that does not, at exit 2.
    const run = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        [path.resolve(__dirname, '../dist/src/starter.js'), 'batch', '--items', file, '--budget', '10', '--no-wait'],
        {
          env: {
            PATH: process.env.PATH,
            TEMPORAL_ADDRESS: '127.0.0.1:1',
            DATACOSMOS_CLIENT_ID: 'x',
            DATACOSMOS_CLIENT_SECRET: 'y',
            DATACOSMOS_ORGANISATION_ID: '1',
          },
          timeout: 30_000,
        },
        (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
      ),
    );
    expect([2, 7]).toContain(run.code);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^dcp: /);
  }
}, 120_000);
