/**
 * The docker-compose stack validates with Debian's `docker-compose config` (no Docker engine needed) and
 * wires what docs/production.md promises: alone, only the worker and the webhook listener start, for Temporal
 * Cloud or your own Temporal; the `local` profile adds pinned images of the version the tests run and none
 * deprecated, Temporal on PostgreSQL with a volume, one-shot jobs that run the very deploy scripts the native
 * stack runs (schemas, namespace, the search attributes of src/shared/search-attributes.ts) and the simulator.
 * The worker, scalable, is built from the multi-stage Dockerfile; every setting the product reads reaches it and
 * the webhook from the env file, and the example env file is one they accept.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SEARCH_ATTRIBUTES_SPEC } from '../local/production-stack/deploy-scripts';
import { PRODUCTION_HISTORY_SHARDS } from '../local/ports';
import { TEMPORAL_SERVER_VERSION } from '../local/temporal-server-releases';
import { loadSettings, loadWebhookSettings, SETTINGS_VARIABLES } from '../src/config/settings';

const ROOT = path.resolve(__dirname, '..');
const SECRET = 'whsec_compose_test_0123456789';
const EXAMPLE_ENV_FILE = path.join(ROOT, 'deploy/dcp.env.example');
const LOCAL_SERVICES = ['postgresql', 'temporal-schema', 'temporal', 'temporal-namespace', 'temporal-ui', 'simulator'];

interface Service {
  profiles?: string[];
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  container_name?: string;
  ports?: unknown[];
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  entrypoint?: string[];
  environment?: Record<string, string | null>;
  /** docker-compose 1.x prints the short syntax: `SOURCE:TARGET:MODE`. */
  volumes?: string[];
}

function run(command: string, args: string[], env: Record<string, string>, input?: string) {
  return spawnSync(command, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    input,
    encoding: 'utf8',
  });
}

function tempFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'dcp-compose-')), name);
  writeFileSync(file, text);
  return file;
}

/** The example env file with these settings changed (in an env file, the last line of a name counts). */
function settingsFile(settings: Record<string, string>): string {
  const lines = Object.entries(settings).map(([name, value]) => `${name}=${value}\n`);
  return tempFile('dcp.env', `${readFileSync(EXAMPLE_ENV_FILE, 'utf8')}${lines.join('')}`);
}

/**
 * `docker-compose config` with these profiles and only these variables of compose's own (an empty .env, so a
 * developer's cannot interfere), and the example env file unless DCP_ENV_FILE names another.
 */
function composeConfig(
  env: Record<string, string>,
  { profiles = [], composeFile = path.join(ROOT, 'docker-compose.yml') }: { profiles?: string[]; composeFile?: string },
) {
  const composeEnv = tempFile('empty.env', '');
  const profileArgs = profiles.flatMap((profile) => ['--profile', profile]);
  return run('docker-compose', ['--env-file', composeEnv, '--file', composeFile, ...profileArgs, 'config'], {
    DCP_ENV_FILE: EXAMPLE_ENV_FILE,
    ...env,
  });
}

/** The resolved configuration as JSON, through the YAML library docker-compose itself depends on. */
function resolvedServices(env: Record<string, string> = {}, profiles: string[] = []): Record<string, Service> {
  const config = composeConfig(env, { profiles });
  expect(config.stderr).toBe('');
  expect(config.status).toBe(0);
  const json = run(
    'python3',
    ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'],
    {},
    config.stdout,
  );
  expect(json.status).toBe(0);
  return (JSON.parse(json.stdout) as { services: Record<string, Service> }).services;
}

/**
 * What `docker-compose up` starts with these profiles, by compose's rule: the services of no profile or of an
 * active one (Debian's docker-compose 1.29 lists them all in `config --services`). A service depending on one
 * left out is refused by `up`, so none may.
 */
function startedServices(services: Record<string, Service>, profiles: string[]): string[] {
  const started = Object.keys(services).filter((name) => {
    const own = services[name].profiles ?? [];
    return own.length === 0 || own.some((profile) => profiles.includes(profile));
  });
  for (const name of started) {
    const leftOut = Object.keys(services[name].depends_on ?? {}).filter((dependency) => !started.includes(dependency));
    expect({ [name]: leftOut }).toEqual({ [name]: [] });
  }
  return started.sort();
}

const environment = (service: Service) =>
  Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, v ?? '']));

beforeAll(() => {
  const version = run('docker-compose', ['version', '--short'], {});
  if (version.error || version.status !== 0)
    throw new Error(
      'docker-compose is missing: install it with `apt-get update && apt-get install -y docker-compose` ' +
        '(Debian; .ci/run does this in CI) to validate docker-compose.yml',
    );
});

test('alone, compose validates and starts only the worker and the webhook; the local profile adds the whole stack', () => {
  expect(startedServices(resolvedServices({}, []), [])).toEqual(['webhook', 'worker']);
  const services = resolvedServices({}, ['local']);
  expect(startedServices(services, ['local'])).toEqual([...LOCAL_SERVICES, 'webhook', 'worker'].sort());
  for (const name of LOCAL_SERVICES) expect([name, services[name].profiles]).toEqual([name, ['local']]);
});

test('the stack validates and has every part, with pinned images of the tested version and none deprecated', () => {
  const services = resolvedServices({}, ['local']);
  expect(Object.keys(services).sort()).toEqual([...LOCAL_SERVICES, 'webhook', 'worker'].sort());
  for (const [name, service] of Object.entries(services)) {
    expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:[\w.-]+$/)]);
    expect([name, service.image]).not.toEqual([name, expect.stringMatching(/:latest$|auto-setup/)]);
  }
  const version = TEMPORAL_SERVER_VERSION.replace(/^v/, '');
  expect(services.temporal.image).toBe(`temporalio/server:${version}`);
  expect(services['temporal-schema'].image).toBe(`temporalio/admin-tools:${version}`);
  expect(services['temporal-namespace'].image).toBe(services['temporal-schema'].image);
  expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
  expect(services.postgresql.volumes).toEqual(['postgresql-data:/var/lib/postgresql/data:rw']);
  // Every file the stack mounts is in the repository.
  for (const service of Object.values(services))
    for (const source of (service.volumes ?? []).map((v) => v.split(':')[0]))
      if (source.startsWith('/')) expect(existsSync(source)).toBe(true);
});

test('Temporal runs on PostgreSQL with the shard count and dynamic config of the native stack', () => {
  const { temporal } = resolvedServices({}, ['local']);
  expect(temporal.environment).toMatchObject({
    DB: 'postgres12',
    POSTGRES_SEEDS: 'postgresql',
    NUM_HISTORY_SHARDS: String(PRODUCTION_HISTORY_SHARDS),
    DYNAMIC_CONFIG_FILE_PATH: 'config/dynamicconfig/production-sql.yaml',
  });
  expect(temporal.volumes).toEqual([`${ROOT}/deploy/temporal/dynamicconfig:/etc/temporal/config/dynamicconfig:ro`]);
  expect(existsSync(path.join(ROOT, 'deploy/temporal/dynamicconfig/production-sql.yaml'))).toBe(true);
  expect(temporal.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
});

test('the one-shot jobs run the deploy scripts the native stack runs, in order', () => {
  const services = resolvedServices({}, ['local']);
  const schema = services['temporal-schema'];
  expect(schema.volumes).toEqual([`${ROOT}/deploy/temporal/setup-postgres.sh:/deploy/setup-postgres.sh:ro`]);
  expect(schema.entrypoint).toEqual(['sh', '/deploy/setup-postgres.sh']);
  expect(schema.depends_on).toEqual({ postgresql: { condition: 'service_healthy' } });
  const namespace = services['temporal-namespace'];
  expect(namespace.volumes).toEqual([`${ROOT}/deploy/temporal/create-namespace.sh:/deploy/create-namespace.sh:ro`]);
  expect(namespace.entrypoint).toEqual(['sh', '/deploy/create-namespace.sh']);
  expect(namespace.depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
});

test('the namespace job registers exactly the attributes the workflows use', () => {
  const job = resolvedServices({}, ['local'])['temporal-namespace'];
  const listed = (job.environment?.SEARCH_ATTRIBUTES ?? '').split(/\s+/).filter(Boolean).sort();
  expect(listed).toEqual(SEARCH_ATTRIBUTES_SPEC.split(' ').sort());
});

test('the worker is built from the Dockerfile, scalable, and restarts until Temporal and its namespace answer', () => {
  const { worker, webhook } = resolvedServices();
  expect(worker.build).toMatchObject({ context: ROOT, dockerfile: 'Dockerfile', target: 'runtime' });
  expect(worker.command).toEqual(['node', 'dist/src/worker.js']);
  expect(worker.container_name).toBeUndefined(); // `--scale worker=N` needs neither fixed names nor host ports
  expect(worker.ports).toBeUndefined();
  // Nothing to wait for when Temporal is elsewhere: they exit while it cannot serve them, and start again.
  for (const service of [worker, webhook])
    expect([service.depends_on, service.restart]).toEqual([undefined, 'unless-stopped']);

  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  expect(dockerfile.match(/^FROM \S+ AS \w+$/gm)).toHaveLength(3);
  expect(dockerfile).toMatch(/npm ci --omit=dev/);
  expect(dockerfile).toMatch(/^USER node$/m);
  // The product image holds the product's build only: no simulator, no local stack.
  const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  expect(runtime.match(/^COPY --from=build .*$/gm)).toEqual([
    'COPY --from=build /app/dist/src ./dist/src',
    'COPY --from=build /app/dist/workflow-bundle.js ./dist/workflow-bundle.js',
  ]);
  expect(runtime).toMatch(/^CMD \["node", "dist\/src\/worker.js"\]$/m);
});

test('the simulator has an image of its own, built from the same Dockerfile', () => {
  const { simulator } = resolvedServices({}, ['local']);
  expect(simulator.build).toMatchObject({ context: ROOT, dockerfile: 'Dockerfile', target: 'simulator' });
  expect(simulator.command?.slice(0, 2)).toEqual(['node', 'dist/simulator/main.js']);
});

test('every setting the product reads reaches the worker and the webhook from the env file, and nothing else does', () => {
  expect(SETTINGS_VARIABLES).toEqual(
    expect.arrayContaining([
      'DATACOSMOS_PRICING',
      'DATACOSMOS_ORDER_GET_PATH',
      'DCP_WEBHOOK_SECRET',
      'CLAIM_CHECK_INTERVAL_S',
    ]),
  );
  const settings = Object.fromEntries(SETTINGS_VARIABLES.map((name) => [name, `value-of-${name}`]));
  const envFile = tempFile('dcp.env', SETTINGS_VARIABLES.map((name) => `${name}=${settings[name]}\n`).join(''));
  const { worker, webhook } = resolvedServices({ DCP_ENV_FILE: envFile });
  for (const service of [worker, webhook]) expect(environment(service)).toEqual(settings);
});

test('the example env file names every setting, and with a webhook secret runs the local profile', () => {
  const example = readFileSync(EXAMPLE_ENV_FILE, 'utf8');
  const named = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
  expect([...named].sort()).toEqual([...SETTINGS_VARIABLES].sort());
  // As committed it holds no secret: the webhook listener refuses to start until one is set.
  expect(() => loadWebhookSettings(environment(resolvedServices().webhook))).toThrow(/DCP_WEBHOOK_SECRET is required/);

  const services = resolvedServices({ DCP_ENV_FILE: settingsFile({ DCP_WEBHOOK_SECRET: SECRET }) }, ['local']);
  const worker = loadSettings(environment(services.worker), '/nowhere');
  expect(worker.temporal).toEqual({
    address: 'temporal:7233',
    namespace: 'default',
    taskQueueBase: 'datacosmos-purchase',
    taskQueue: 'datacosmos-purchase/1002@simulator:8787',
  });
  expect(worker.datacosmos.apiUrl).toBe('http://simulator:8787');
  // The fleet's budget stays under the simulator's limit per client, however many workers are scaled.
  const simulatorArgs = services.simulator.command ?? [];
  expect(simulatorArgs[simulatorArgs.indexOf('--rate-limit-scope') + 1]).toBe('client');
  const apiLimit = Number(simulatorArgs[simulatorArgs.indexOf('--rate-limit') + 1]);
  expect(worker.datacosmos.fleetMaxRequestsPerSecond).toBeGreaterThan(0);
  expect(worker.datacosmos.fleetMaxRequestsPerSecond).toBeLessThan(apiLimit);
  expect(loadWebhookSettings(environment(services.webhook))).toEqual({ secret: SECRET, toleranceS: 300 });
  const simulator = services.simulator.command ?? [];
  expect(simulator[simulator.indexOf('--webhook-url') + 1]).toBe('http://webhook:8788/webhooks/payment');
  expect(services.webhook.command).toEqual(expect.arrayContaining(['webhook', '--host', '0.0.0.0', '--port', '8788']));
  // The simulator's entrypoint gives it the webhook listener's secret to sign with.
  const [shell, ...script] = services.simulator.entrypoint ?? [];
  const signsWith = run(
    shell,
    [
      ...script.map((arg) => arg.replace(/\$\$/g, '$')),
      'node',
      '-e',
      'process.stdout.write(process.env.SIM_WEBHOOK_SECRET)',
    ],
    environment(services.simulator),
  );
  expect(signsWith.stdout).toBe(SECRET);
});

test('Temporal Cloud settings reach the worker through the env file', () => {
  const cloud = settingsFile({
    TEMPORAL_ADDRESS: 'purchases.a1b2c.tmprl.cloud:7233',
    TEMPORAL_NAMESPACE: 'purchases.a1b2c',
    TEMPORAL_API_KEY: 'cloud-api-key',
  });
  const { worker } = resolvedServices({ DCP_ENV_FILE: cloud });
  const settings = loadSettings(environment(worker), '/');
  expect(settings.temporal).toMatchObject({
    address: 'purchases.a1b2c.tmprl.cloud:7233',
    namespace: 'purchases.a1b2c',
    apiKey: 'cloud-api-key',
    tls: {},
  });
});

test('without its env file compose refuses to start, naming it; the env file is never committed', () => {
  const alone = tempFile('docker-compose.yml', readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'));
  const config = composeConfig({ DCP_ENV_FILE: '' }, { composeFile: alone });
  expect(config.status).not.toBe(0);
  expect(config.stderr).toContain(`Couldn't find env file: ${path.join(path.dirname(alone), 'deploy/dcp.env')}`);
  expect(run('git', ['check-ignore', '--quiet', 'deploy/dcp.env'], {}).status).toBe(0);
});
