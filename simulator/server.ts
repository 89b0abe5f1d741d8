/** startSimulator: the whole simulator in-process (used by main.ts, tests, demos and benchmarks). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { AssetFactsCache } from './asset-bytes';
import { TokenSigner } from './auth';
import { generateCatalog } from './catalog';
import { startSessionSweeper } from './checkout';
import type { Sim } from './context';
import { journalPath, openDataDir } from './data-dir';
import { dispatch } from './dispatch';
import { FaultInjector } from './faults';
import { Journal } from './journal';
import { DEFAULTS, settingsFromOptions, type SimulatorOptions } from './options';
import { RateLimiter } from './rate-limit';
import { SimState, type JournalRecord } from './state';
import { Stats } from './stats';

export interface RunningSimulator {
  url: string;
  port: number;
  /** Stops listening, drops open connections and flushes the journal. */
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`simulator: port ${port} is already in use`);
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const log = pino({ name: 'simulator', level: options.logLevel ?? 'info' }, pino.destination(2));
  const dataDir = options.dataDir ?? DEFAULTS.dataDir;
  const faults = new FaultInjector(options.faults);
  const meta = await openDataDir(dataDir, { seed: options.seed, items: options.items });
  const catalog = generateCatalog(meta.seed, meta.items);
  const state = new SimState(settingsFromOptions(options));
  for (const record of await Journal.read(journalPath(dataDir))) state.apply(record as JournalRecord);
  const journal = await Journal.create(journalPath(dataDir), state.snapshot());
  state.attach(journal);

  const sim: Sim = {
    publicUrl: '',
    options,
    catalog,
    facts: new AssetFactsCache(meta.seed),
    state,
    signer: new TokenSigner(meta.token_key),
    faults,
    stats: new Stats(),
    limiter: new RateLimiter(),
    log,
  };
  const server = http.createServer((req, res) => {
    dispatch(sim, req, res).catch((error: unknown) => {
      log.error({ err: error }, 'dispatch failed');
      res.destroy();
    });
  });
  const host = options.host ?? DEFAULTS.host;
  try {
    await listen(server, options.port ?? DEFAULTS.port, host);
  } catch (error) {
    await journal.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  sim.publicUrl = (options.publicUrl ?? url).replace(/\/$/, '');
  const stopSweeper = startSessionSweeper(sim);
  log.info({ url, dataDir, seed: meta.seed, items: meta.items, orders: state.orders.size }, 'simulator listening');

  return {
    url,
    port,
    async close() {
      stopSweeper();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await journal.close();
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
