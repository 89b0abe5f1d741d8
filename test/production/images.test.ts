/**
 * The Dockerfile's images build and run, shown without a Docker engine: test/support/image-builder.ts builds every
 * stage as the Dockerfile says, each into an empty directory from only what its COPY lines bring (.dockerignore
 * honoured), its RUN steps on the Node release its FROM line names (from npm's `node` package), which stands in
 * for the base image that cannot be pulled here.
 * Then the runtime image runs the worker and the webhook listener and refuses the development stack, the simulator
 * image serves the API as its unprivileged user, and neither holds what it should not. It needs npm's registry,
 * not the tier's Temporal.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../local/ports';
import { parseDockerfile } from '../support/dockerfile';
import { buildImages, imageCommand, inImage, type Image } from '../support/image-builder';
import { BLUE_FIELDS, call, getToken, listeningLine } from '../../harness/simulator';

const ROOT = path.resolve(__dirname, '../..');
const into = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-images-'));
let images: Map<string, Image>;

beforeAll(async () => {
  const started = Date.now();
  images = await buildImages({
    context: ROOT,
    into,
    log: (line) => process.stderr.write(`[images ${Math.round((Date.now() - started) / 1000)} s] ${line}\n`),
  });
}, 30 * 60_000);

afterAll(() => fs.rmSync(into, { recursive: true, force: true }));

function image(name: string): Image {
  const built = images.get(name);
  if (!built) throw new Error(`the Dockerfile has no stage ${name}`);
  return built;
}

function runIn(built: Image, argv: string[], env: Record<string, string> = {}) {
  const { file, args, options } = imageCommand(built, argv);
  return spawnSync(file, args, { ...options, env: { ...options.env, ...env }, encoding: 'utf8', timeout: 60_000 });
}

const entries = (built: Image, dir: string) => fs.readdirSync(inImage(built, dir)).sort();

/** Production dependencies only (none the lockfile marks as for development), and no npm cache left behind. */
function expectProductionInstall(built: Image): void {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const devOnly = Object.keys(lock.packages).filter((key) => key.startsWith('node_modules/') && lock.packages[key].dev);
  expect(devOnly.length).toBeGreaterThan(0);
  expect(devOnly.filter((key) => fs.existsSync(inImage(built, path.posix.join(built.workdir, key))))).toEqual([]);
  expect(fs.existsSync(inImage(built, path.posix.join(built.workdir, 'node_modules/zod')))).toBe(true);
  expect(fs.existsSync(inImage(built, '/root/.npm/_cacache'))).toBe(false);
}

test('the runtime image holds the product build and its production dependencies, nothing else', () => {
  const runtime = image('runtime');
  expect(runtime.user).toBe('node');
  expect(entries(runtime, '/')).toEqual(['app', 'home', 'root', 'usr']); // no local/, test/, simulator/ anywhere
  expect(entries(runtime, '/usr/local/bin')).toEqual(['node']); // the base image's
  expect(entries(runtime, '/app')).toEqual(['dist', 'node_modules', 'package-lock.json', 'package.json']);
  expect(entries(runtime, '/app/dist')).toEqual(['src', 'workflow-bundle.js']);
  expectProductionInstall(runtime);
});

test('the runtime image runs dcp worker and dcp webhook on the Node its FROM line names, and refuses dcp dev clearly', () => {
  const runtime = image('runtime');
  const from = parseDockerfile(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')).find(
    (s) => s.name === 'runtime',
  );
  const release = /^node:(\d+\.\d+)/.exec(from?.base ?? '')?.[1];
  expect(runIn(runtime, ['node', '-p', 'process.versions.node']).stdout).toMatch(new RegExp(`^${release}\\.\\d+\n$`));
  for (const command of ['worker', 'webhook']) {
    const help = runIn(runtime, ['node', 'dist/src/starter.js', command, '--help']);
    expect([command, help.status, help.stderr]).toEqual([command, 0, '']);
    expect(help.stdout).toMatch(new RegExp(`^Usage: dcp ${command} \\[options\\]`));
  }
  const dev = runIn(runtime, ['node', 'dist/src/starter.js', 'dev']);
  expect([dev.status, dev.stderr]).toEqual([
    2,
    'dcp: dev runs the local development stack, which this installation does not include (use a clone of the repository)\n',
  ]);
});

test("the runtime image's CMD is the worker, configured by the environment", async () => {
  const runtime = image('runtime');
  const address = `127.0.0.1:${await freePort()}`; // where nothing listens
  const worker = runIn(runtime, runtime.cmd, {
    TEMPORAL_ADDRESS: address,
    DATACOSMOS_CLIENT_ID: BLUE_FIELDS.clientId,
    DATACOSMOS_CLIENT_SECRET: BLUE_FIELDS.clientSecret,
    DATACOSMOS_ORGANISATION_ID: String(BLUE_FIELDS.organisation),
  });
  expect(worker.stderr).toContain(`worker: cannot reach Temporal at ${address}`);
  expect(worker.status).toBe(7);
});

test('the simulator image holds the simulator build only and serves the API as its unprivileged user', async () => {
  const simulator = image('simulator');
  expect(simulator.user).toBe('node');
  expect(entries(simulator, '/')).toEqual(['app', 'data', 'home', 'root', 'usr']);
  expect(entries(simulator, '/app')).toEqual(['dist', 'node_modules', 'package-lock.json', 'package.json']);
  expect(entries(simulator, '/app/dist')).toEqual(['simulator']); // no product code
  expectProductionInstall(simulator);

  const { file, args, options } = imageCommand(simulator, [...simulator.cmd, '--host', '127.0.0.1', '--port', '0']);
  const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  try {
    const { url } = await listeningLine(child, exited);
    const token = await getToken(url, BLUE_FIELDS);
    const catalog = await call(url, 'GET', '/api/data/v0/stac/collections', { token });
    expect(catalog.status).toBe(200);
    expect(catalog.body.collections.length).toBeGreaterThan(0);
    // Its journal, in the volume's directory that the image gives its user.
    expect(entries(simulator, '/data/simulator').length).toBeGreaterThan(0);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
});
