/** Loopback port checks, so local programs refuse a taken port before anything is started. */
import net from 'node:net';
import { CliError, ExitCode } from '../cli/exit-codes';

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

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return listenOnce(0);
}
