/**
 * The README's "Your first real purchase", run as written: each `sh` block of that section in order, in a shell of
 * its own (after `. ./real.env`, as the steps say), with `npx dcp` running this checkout's dcp. The documented-API
 * simulator stands in for the real API: the only additions to the steps are the placeholders' values and
 * DATACOSMOS_API_URL/DATACOSMOS_AUTH_URL pointing at it. `dcp dev` runs beside it all the while, and is never used.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnLogged, type LoggedChild } from '../local/child-process';
import { startSimulatorProcess, type SimulatorProcess } from '../local/simulator-process';
import { readStackFile, type LocalStack } from '../src/config/stack-file';
import { freePorts, startDev, stopDev, untilRunning, type Dev } from './support/dev-process';
import { ACME, SimAdmin } from '../harness/simulator';
import { until } from '../harness/until';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '..');
const DCP = path.join(ROOT, 'dist/src/starter.js');

/** The `sh` blocks of the README section, in order. */
function readmeSteps(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Your first real purchase\n'));
  if (!section) throw new Error('README.md has no "Your first real purchase" section');
  return [...section.matchAll(/^ *```sh\n([\s\S]*?)^ *```$/gm)].map((match) =>
    match[1].replace(/^ {3}/gm, '').trimEnd(),
  );
}

interface Shell {
  code: number;
  stdout: string;
  stderr: string;
}

let work: string;
let dev: Dev;
let stack: LocalStack;
let api: SimulatorProcess;
let worker: LoggedChild | undefined;
let values: Record<string, string>;

/** A user's shell: no product variables but the stand-in API's URLs, `npx dcp` being this checkout's dcp. */
function shellEnvironment(): NodeJS.ProcessEnv {
  const clean = Object.entries(process.env).filter(([name]) => !/^(DATACOSMOS|TEMPORAL|DCP)_/.test(name));
  return { ...Object.fromEntries(clean), DATACOSMOS_API_URL: api.url, DATACOSMOS_AUTH_URL: api.url, LOG_LEVEL: 'warn' };
}

/** One step as a script: the placeholders filled in; every step after the first loads real.env first. */
/** `replaceShell`: the step is one long-running command, which takes the shell's place so that stopping it stops it. */
function script(step: string, first: boolean, replaceShell = false): string {
  let text = step;
  for (const [placeholder, value] of Object.entries(values)) text = text.split(placeholder).join(value);
  const node = replaceShell ? 'exec node' : 'node';
  const npx = `npx() { if [ "$1" = dcp ]; then shift; ${node} ${JSON.stringify(DCP)} "$@"; else return 127; fi; }`;
  return [npx, 'set -e', `cd ${JSON.stringify(work)}`, ...(first ? [] : ['. ./real.env']), text].join('\n');
}

function run(step: string, first = false): Promise<Shell> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-c', script(step, first)],
      { cwd: work, env: shellEnvironment(), timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-first-purchase-'));
  const clean = Object.entries(process.env).filter(([name]) => !/^(DATACOSMOS|TEMPORAL|DCP)_/.test(name));
  dev = startDev(path.join(work, 'dev'), await freePorts(), true, Object.fromEntries(clean));
  await untilRunning(dev);
  stack = readStackFile(path.join(work, 'dev')) as LocalStack;
  api = await startSimulatorProcess({
    port: 0,
    dataDir: path.join(work, 'api'),
    extraArgs: ['--api-variant', 'documented'],
  });
  values = {
    '<client id>': ACME.clientId,
    '<client secret>': ACME.clientSecret,
    '<organisation id>': String(ACME.organisation),
    '127.0.0.1:7233': stack.temporal.address,
  };
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await api?.stop();
  await stopDev(dev);
});

test('the steps of "Your first real purchase" end with a PAID order on the account, and none on the local stack', async () => {
  const [credentials, doctorBefore, startWorker, doctorAfter, searchAndQuote, buy, status, ...rest] = readmeSteps();
  expect(rest).toEqual([]);

  expect(await run(credentials, true)).toMatchObject({ code: 0 });
  expect(fs.statSync(path.join(work, 'real.env')).mode & 0o777).toBe(0o600);

  const before = await run(doctorBefore);
  expect(before.code).toBe(7);
  const failed = before.stdout.split('\n').filter((line) => /\sFAILED\s/.test(line));
  expect(failed.map((line) => line.split(/\s+/)[0])).toEqual(['worker']);

  expect(startWorker).toBe('npx dcp worker');
  worker = spawnLogged('bash', ['-c', script(startWorker, false, true)], {
    env: { ...shellEnvironment() },
    logFile: path.join(work, 'worker.log'),
    stopGraceMs: 15_000,
  });
  // The worker started in the step's shell: from the test's side, wait until doctor finds it.
  const after = await until(
    'doctor to find the worker',
    () => run(doctorAfter),
    (result) => result.code === 0,
  );
  expect(after.stdout).toMatch(/^worker\s+ok\s+1 polling this target: \d+@\S+ datacosmos-purchase\/\d/m);

  const [searchLine] = searchAndQuote.split('\n');
  const searched = await run(searchLine);
  const itemId = /^menut-l1c-cogs\/(\S+)/m.exec(searched.stdout)?.[1];
  expect(itemId).toBeDefined();
  values['<ITEM_ID>'] = itemId!;
  const quoted = await run(searchAndQuote);
  expect(quoted.code).toBe(0);
  const total = /^total: (\S+) EUR/m.exec(quoted.stdout)?.[1];
  expect(total).toBeDefined();
  values['<TOTAL>'] = total!;

  const bought = await run(buy);
  expect(bought).toMatchObject({ code: 0 });
  const purchaseId = /^purchase (\S+): COMPLETED$/m.exec(bought.stdout)?.[1];
  expect(purchaseId).toBeDefined();
  values['<PURCHASE_ID>'] = purchaseId!;

  const shown = await run(status);
  expect(shown.code).toBe(0);
  expect(shown.stdout).toMatch(new RegExp(`^${purchaseId}\\s+COMPLETED\\s+PAID`, 'm'));
  expect(shown.stdout).toMatch(new RegExp(`^purchase ${purchaseId}: COMPLETED$`, 'm'));

  // The stand-in API has the PAID order for exactly that item, at the quoted total; the local stack has no order.
  const orders = await new SimAdmin(api.url).orders(ACME.organisation);
  expect(orders).toMatchObject([{ status: 'PAID', total, items: [{ collection: 'menut-l1c-cogs', item: itemId }] }]);
  expect(await new SimAdmin(stack.simulator.url).orders(ACME.organisation)).toEqual([]);
});
