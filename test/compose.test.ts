/**
 * The docker-compose stack validates with Debian's `docker-compose config` (no Docker engine needed) and
 * wires what docs/production.md promises: pinned images of the version the tests run and none deprecated,
 * Temporal on PostgreSQL with a volume, one-shot jobs that run the very deploy scripts the native stack runs
 * (schemas, namespace, the search attributes of src/shared/search-attributes.ts), a scalable worker built from
 * the multi-stage Dockerfile, and settings the worker and webhook accept.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SEARCH_ATTRIBUTES_SPEC } from '../local/production-stack/deploy-scripts';
import { PRODUCTION_HISTORY_SHARDS } from '../local/ports';
import { TEMPORAL_SERVER_VERSION } from '../local/temporal-server-programs';
import { loadSettings, loadWebhookSettings } from '../src/config/settings';

const ROOT = path.resolve(__dirname, '..');
const SECRET = 'whsec_compose_test_0123456789';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  container_name?: string;
  ports?: unknown[];
  depends_on?: Record<string, { condition: string }>;
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

/** `docker-compose config` with only these variables (an empty env file, so a developer's .env cannot interfere). */
function composeConfig(env: Record<string, string>) {
  const envFile = path.join(mkdtempSync(path.join(tmpdir(), 'dcp-compose-')), 'empty.env');
  writeFileSync(envFile, '');
  return run('docker-compose', ['--env-file', envFile, '--file', 'docker-compose.yml', 'config'], env);
}

/** The resolved configuration as JSON, through the YAML library docker-compose itself depends on. */
function resolvedServices(env: Record<string, string>): Record<string, Service> {
  const config = composeConfig(env);
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

beforeAll(() => {
  const version = run('docker-compose', ['version', '--short'], {});
  if (version.error || version.status !== 0)
    throw new Error(
      'docker-compose is missing: install it with `apt-get update && apt-get install -y docker-compose` ' +
        '(Debian; .ci/run does this in CI) to validate docker-compose.yml',
    );
});

test('the stack validates and has every part, with pinned images of the tested version and none deprecated', () => {
  const services = resolvedServices({ DCP_WEBHOOK_SECRET: SECRET });
  expect(Object.keys(services).sort()).toEqual(
    [
      'postgresql',
      'temporal-schema',
      'temporal',
      'temporal-namespace',
      'temporal-ui',
      'webhook',
      'worker',
      'simulator',
    ].sort(),
  );
  for (const [name, service] of Object.entries(services)) {
    expect([name, service.image]).toEqual([name, expect.stringMatching(/^[\w./-]+:[\w.-]+$/)]);
    expect([name, service.image]).not.toEqual([name, expect.stringMatching(/:latest$|auto-setup/)]);
  }
  const version = TEMPORAL_SERVER_VERSION.replace(/^v/, '');
  expect(services.temporal.image).toBe(`temporalio/server:${version}`);
  expect(services['temporal-schema'].image).toBe(`temporalio/admin-tools:${version}-tctl-1.18.4-cli-1.5.0`);
  expect(services['temporal-namespace'].image).toBe(services['temporal-schema'].image);
  expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
  expect(services.postgresql.volumes).toEqual(['postgresql-data:/var/lib/postgresql/data:rw']);
  // Every file the stack mounts is in the repository.
  for (const service of Object.values(services))
    for (const source of (service.volumes ?? []).map((v) => v.split(':')[0]))
      if (source.startsWith('/')) expect(existsSync(source)).toBe(true);
});

test('Temporal runs on PostgreSQL with the shard count and dynamic config of the native stack', () => {
  const { temporal } = resolvedServices({ DCP_WEBHOOK_SECRET: SECRET });
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
  const services = resolvedServices({ DCP_WEBHOOK_SECRET: SECRET });
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
  const job = resolvedServices({ DCP_WEBHOOK_SECRET: SECRET })['temporal-namespace'];
  const listed = (job.environment?.SEARCH_ATTRIBUTES ?? '').split(/\s+/).filter(Boolean).sort();
  expect(listed).toEqual(SEARCH_ATTRIBUTES_SPEC.split(' ').sort());
});

test('the worker is built from the Dockerfile, scalable, and starts once the namespace and its search attributes exist', () => {
  const { worker } = resolvedServices({ DCP_WEBHOOK_SECRET: SECRET });
  expect(worker.build).toMatchObject({ context: ROOT, dockerfile: 'Dockerfile', target: 'runtime' });
  expect(worker.command).toEqual(['node', 'dist/src/worker.js']);
  expect(worker.container_name).toBeUndefined(); // `--scale worker=N` needs neither fixed names nor host ports
  expect(worker.ports).toBeUndefined();
  expect(worker.depends_on?.['temporal-namespace']).toEqual({ condition: 'service_completed_successfully' });

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
  const { simulator } = resolvedServices({ DCP_WEBHOOK_SECRET: SECRET });
  expect(simulator.build).toMatchObject({ context: ROOT, dockerfile: 'Dockerfile', target: 'simulator' });
  expect(simulator.command?.slice(0, 2)).toEqual(['node', 'dist/simulator/main.js']);
});

test('the default environment is one the worker and the webhook accept, and the simulator signs with the same secret', () => {
  const services = resolvedServices({ DCP_WEBHOOK_SECRET: SECRET });
  const environment = (service: Service) =>
    Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, v ?? '']));
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
  expect(services.simulator.environment?.SIM_WEBHOOK_SECRET).toBe(SECRET);
});

test('Temporal Cloud settings reach the worker through the environment', () => {
  const cloud = {
    DCP_WEBHOOK_SECRET: SECRET,
    TEMPORAL_ADDRESS: 'purchases.a1b2c.tmprl.cloud:7233',
    TEMPORAL_NAMESPACE: 'purchases.a1b2c',
    TEMPORAL_API_KEY: 'cloud-api-key',
  };
  const { worker } = resolvedServices(cloud);
  const settings = loadSettings(
    Object.fromEntries(Object.entries(worker.environment ?? {}).map(([k, v]) => [k, v ?? ''])),
    '/',
  );
  expect(settings.temporal).toMatchObject({
    address: 'purchases.a1b2c.tmprl.cloud:7233',
    namespace: 'purchases.a1b2c',
    apiKey: 'cloud-api-key',
    tls: {},
  });
});

test('without DCP_WEBHOOK_SECRET the stack refuses to start, naming the variable', () => {
  const config = composeConfig({});
  expect(config.status).not.toBe(0);
  expect(config.stderr).toContain('set DCP_WEBHOOK_SECRET');
});
