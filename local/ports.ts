/** Loopback port checks, so local programs refuse a taken port before anything is started. */
import net from 'node:net';
import { CliError, ExitCode } from '../src/shared/errors';

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

/** Throws `CliError('<what>: port N is already in use', UNAVAILABLE)` when 127.0.0.1:port cannot be bound. */
export async function assertPortFree(port: number, what: string): Promise<void> {
  try {
    await listenOnce(port);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem = code === 'EADDRINUSE' ? 'is already in use' : `cannot be used (${code ?? String(err)})`;
    throw new CliError(`${what}: port ${port} ${problem}`, ExitCode.UNAVAILABLE);
  }
}

/**
 * Ports handed out for services to listen on later. They come from below Linux's ephemeral range
 * (32768-60999), where the OS also picks the local ports of outgoing connections: a port chosen there
 * can be taken by some client socket before the service binds it.
 */
const SERVICE_PORTS = { first: 20_000, count: 12_000 };
let nextServicePort = SERVICE_PORTS.first + Math.floor(Math.random() * SERVICE_PORTS.count);

/** A port that was free on 127.0.0.1 a moment ago, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = nextServicePort;
    nextServicePort =
      SERVICE_PORTS.first + ((port - SERVICE_PORTS.first + 1 + Math.floor(Math.random() * 50)) % SERVICE_PORTS.count);
    try {
      return await listenOnce(port);
    } catch {
      // taken: try the next one
    }
  }
  return listenOnce(0);
}

/** The local stack's default ports. */
export const DEV_STACK_PORTS = { temporalPort: 7233, uiPort: 8233, simPort: 8787, s3Port: 9000 } as const;

/** The production stack's defaults: Temporal's own ports, and PostgreSQL beside a system one on 5432. */
export const PRODUCTION_STACK_PORTS = {
  temporal: 7233,
  postgres: 15432,
  metrics: 8000,
  sim: 8787,
  webhook: 8788,
} as const;
export const PRODUCTION_HISTORY_SHARDS = 4;
