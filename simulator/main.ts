#!/usr/bin/env node
/**
 * The simulator as a program. Prints one JSON line `{"event":"listening",...}` on stdout when
 * ready (logs go to stderr); exits 7 when the port is taken (as `dcp` does), 2 on bad options, 0 on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DataDirConflict } from './data-dir';
import type { FaultConfig } from './faults';
import { API_VARIANTS, DEFAULTS, type SimulatorOptions } from './options';
import { PortInUseError, startSimulator } from './server';

function integer(name: string, min: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) throw new InvalidArgumentError(`${name} must be an integer >= ${min}`);
    return value;
  };
}

function positive(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`${name} must be a number >= 0`);
    return value;
  };
}

function httpUrl(text: string): string {
  if (!/^https?:\/\/[^\s]+$/.test(text) || !URL.canParse(text))
    throw new InvalidArgumentError('--webhook-url must be an http(s) URL');
  return text;
}

function webhookSecret(text: string): string {
  if (text.length < 16) throw new InvalidArgumentError('the webhook secret must be at least 16 characters');
  return text;
}

function readFaults(file: string): FaultConfig {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as FaultConfig;
  } catch (error) {
    throw new InvalidArgumentError(`cannot read fault config ${file}: ${(error as Error).message}`);
  }
}

function parseOptions(argv: string[]): SimulatorOptions {
  const program = new Command('datacosmos-simulator')
    .description('A local simulator of the DataCosmos API (catalog, pricing, orders, checkout, storage)')
    .option('--port <n>', 'port to listen on (0 = any free port)', integer('--port', 0), DEFAULTS.port)
    .option('--host <host>', 'address to listen on', DEFAULTS.host)
    .option('--data-dir <dir>', 'where orders, credits and settings are kept', DEFAULTS.dataDir)
    .option('--seed <n>', `catalog seed (default ${DEFAULTS.seed}, or the data dir's)`, integer('--seed', 0))
    .option('--items <n>', `catalog size (default ${DEFAULTS.items}, or the data dir's)`, integer('--items', 1))
    .option('--faults <file>', 'JSON fault configuration', readFaults)
    .option('--public-url <url>', 'base URL used in links (default http://HOST:PORT)')
    .option('--token-lifetime <s>', 'access token lifetime in seconds', integer('--token-lifetime', 1), 3600)
    .option('--checkout-ttl <s>', 'unpaid checkout session lifetime in seconds', positive('--checkout-ttl'), 86400)
    .addOption(
      new Option(
        '--api-variant <variant>',
        'reply shapes: everything the simulator knows, or the documented examples only',
      )
        .choices(API_VARIANTS)
        .default('full'),
    )
    .addOption(
      new Option('--credits-at <when>', 'when credits are applied').choices(['checkout', 'create']).default('checkout'),
    )
    .option('--require-licenses', 'order creation must carry accepted licences', false)
    .option(
      '--rate-limit <n>',
      'requests/s per token, or per client with --rate-limit-scope client (0 = off)',
      positive('--rate-limit'),
      0,
    )
    .addOption(
      new Option('--rate-limit-scope <scope>', 'who shares a rate-limit bucket')
        .choices(['token', 'client'])
        .default('token'),
    )
    .option(
      '--webhook-url <url>',
      'POST a signed checkout.session.completed event here when the checkout page takes a payment',
      httpUrl,
    )
    .addOption(
      new Option('--webhook-secret <secret>', 'HMAC secret of those events (at least 16 characters)')
        .env('SIM_WEBHOOK_SECRET')
        .argParser(webhookSecret),
    )
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse(argv);
  const o = program.opts();
  if (Boolean(o.webhookUrl) !== Boolean(o.webhookSecret))
    program.error('--webhook-url and --webhook-secret (or SIM_WEBHOOK_SECRET) go together');
  return {
    port: o.port,
    host: o.host,
    dataDir: o.dataDir,
    seed: o.seed,
    items: o.items,
    faults: o.faults,
    publicUrl: o.publicUrl,
    apiVariant: o.apiVariant,
    tokenLifetimeS: o.tokenLifetime,
    checkoutTtlS: o.checkoutTtl,
    creditsAt: o.creditsAt,
    requireLicenses: o.requireLicenses,
    rateLimit: o.rateLimit,
    rateLimitScope: o.rateLimitScope,
    webhookUrl: o.webhookUrl,
    webhookSecret: o.webhookSecret,
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  let simulator;
  try {
    simulator = await startSimulator(options);
  } catch (error) {
    if (error instanceof PortInUseError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(7);
    }
    if (error instanceof DataDirConflict) {
      process.stderr.write(`simulator: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: simulator.url, port: simulator.port })}\n`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`simulator: shutdown failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`simulator: ${(error as Error).message}\n`);
  process.exit(1);
});
