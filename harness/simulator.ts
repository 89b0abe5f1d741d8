/**
 * Test support for the DataCosmos simulator: a typed admin client, a tiny API caller, and helpers
 * that run the simulator in-process or as the compiled program (stop, kill -9, restart).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { OrderAudit } from '../simulator/order-model';
import type { FaultConfig } from '../simulator/faults';
import type { Settings, SimulatorOptions } from '../simulator/options';
import type { SeedContract } from '../simulator/seed-data';
import { startSimulator, type RunningSimulator } from '../simulator/server';
import type { StatsSnapshot } from '../simulator/stats';
import { AUDIENCE } from '../simulator/auth';

export interface SeedClient {
  organisation: number;
  clientId: string;
  clientSecret: string;
  contract: number;
}

export const ACME: SeedClient = {
  organisation: 1001,
  clientId: 'acme-pipeline',
  clientSecret: 'acme-secret-1001',
  contract: 5001,
};
export const BLUE_FIELDS: SeedClient = {
  organisation: 1002,
  clientId: 'bluefields',
  clientSecret: 'bluefields-secret-1002',
  contract: 6001,
};
export const CIRRUS: SeedClient = {
  organisation: 1003,
  clientId: 'cirrus',
  clientSecret: 'cirrus-secret-1003',
  contract: 7001,
};

export interface AdminOrganisation {
  id: number;
  name: string;
  client_id: string;
  client_secret: string;
  credits: { amount: string; currency: string };
  card_payments: boolean;
  contracts: SeedContract[];
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** One HTTP call; JSON bodies are sent as JSON, replies parsed when they are JSON. */
export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export async function getToken(baseUrl: string, client: SeedClient): Promise<string> {
  const res = await call(baseUrl, 'POST', '/oauth/token', {
    body: {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      audience: AUDIENCE,
    },
  });
  if (res.status !== 200) throw new Error(`token request for ${client.clientId} failed: ${res.status} ${res.text}`);
  return res.body.access_token;
}

/** The simulator's /__sim/ admin API. */
export class SimAdmin {
  constructor(readonly url: string) {}

  organisations(): Promise<AdminOrganisation[]> {
    return this.json('GET', '/__sim/organisations');
  }

  async credits(organisation: number): Promise<string> {
    const orgs = await this.organisations();
    return orgs.find((o) => o.id === organisation)!.credits.amount;
  }

  setCredits(organisation: number, amount: string): Promise<{ amount: string; currency: string }> {
    return this.json('PUT', `/__sim/organisations/${organisation}/credits`, { amount });
  }

  orders(organisation?: number): Promise<OrderAudit[]> {
    return this.json('GET', `/__sim/orders${organisation === undefined ? '' : `?organisation=${organisation}`}`);
  }

  /** The organisation's orders that hold this item. */
  async ordersHolding(organisation: number, item: string): Promise<OrderAudit[]> {
    return (await this.orders(organisation)).filter((o) => o.items.some((i) => i.item === item));
  }

  payOrder(id: string): Promise<OrderAudit> {
    return this.json('POST', `/__sim/orders/${id}/pay`);
  }

  cancelOrder(id: string): Promise<OrderAudit> {
    return this.json('POST', `/__sim/orders/${id}/cancel`);
  }

  faults(): Promise<FaultConfig> {
    return this.json('GET', '/__sim/faults');
  }

  setFaults(config: FaultConfig): Promise<FaultConfig> {
    return this.json('PUT', '/__sim/faults', config);
  }

  stats(): Promise<StatsSnapshot> {
    return this.json('GET', '/__sim/stats');
  }

  clearStats(): Promise<StatsSnapshot> {
    return this.json('DELETE', '/__sim/stats');
  }

  settings(): Promise<Settings> {
    return this.json('GET', '/__sim/settings');
  }

  setSettings(patch: Partial<Settings>): Promise<Settings> {
    return this.json('PUT', '/__sim/settings', patch);
  }

  reset(): Promise<{ reset: true }> {
    return this.json('POST', '/__sim/reset');
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await call<T>(this.url, method, path, { body });
    if (res.status >= 300) throw new Error(`admin ${method} ${path} failed: ${res.status} ${res.text}`);
    return res.body;
  }
}

export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'dcp-sim-'));
}

export interface InProcessSimulator extends RunningSimulator {
  admin: SimAdmin;
  dataDir: string;
}

/** The simulator inside the test process, on a free port and a fresh data dir (quiet logs). */
export async function startInProcess(options: SimulatorOptions = {}): Promise<InProcessSimulator> {
  const dataDir = options.dataDir ?? tempDataDir();
  const running = await startSimulator({ port: 0, logLevel: 'warn', ...options, dataDir });
  return { ...running, admin: new SimAdmin(running.url), dataDir };
}

const MAIN = path.resolve(__dirname, '../dist/simulator/main.js');

export interface SimulatorProcess {
  url: string;
  port: number;
  dataDir: string;
  admin: SimAdmin;
  child: ChildProcess;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to flush anything. */
  kill9(): Promise<void>;
  /** A new process on the same data dir, port and arguments (call after stop or kill9). */
  restart(): Promise<SimulatorProcess>;
}

/** Runs `node dist/simulator/main.js --port 0 --data-dir <tmp> ...args` and waits for its listening line. */
export async function spawnSimulator(
  options: { args?: string[]; dataDir?: string; port?: number } = {},
): Promise<SimulatorProcess> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build first with npx tsc -p tsconfig.build.json`);
  const dataDir = options.dataDir ?? tempDataDir();
  const args = options.args ?? [];
  const child = spawn(process.execPath, [MAIN, '--port', String(options.port ?? 0), '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const { url, port } = await listeningLine(child, exited);
  return {
    url,
    port,
    dataDir,
    admin: new SimAdmin(url),
    child,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    restart: () => spawnSimulator({ args, dataDir, port }),
  };
}

/** The listening line of a simulator program that was just started, or its failure to start. */
export async function listeningLine(
  child: ChildProcess,
  exited: Promise<number | null>,
): Promise<{ url: string; port: number }> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<{ url: string; port: number }>((resolve) => {
    lines.once('line', (line) => resolve(JSON.parse(line)));
  });
  const failed = exited.then((code) => {
    throw new Error(`simulator exited with code ${code} before listening: ${stderr.trim()}`);
  });
  const timeout = new Promise<never>((_, reject) => {
    const timer = setTimeout(() => reject(new Error(`simulator did not start within 20s: ${stderr.trim()}`)), 20_000);
    timer.unref();
  });
  return Promise.race([listening, failed, timeout]);
}

/**
 * Holds every request to `endpoint` unhandled (a `hold` fault) and waits until one is held: the step that sends it
 * is then in flight, for as long as the test needs. `setFaults({})` lets them go.
 */
export async function holdRequests(admin: SimAdmin, endpoint: string): Promise<void> {
  await admin.setFaults({ seed: 1, endpoints: { [endpoint]: { hold: true } } });
  const deadline = Date.now() + 60_000;
  while (((await admin.stats()).held?.[endpoint] ?? 0) < 1) {
    if (Date.now() > deadline) throw new Error(`no request to ${endpoint} was held within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
