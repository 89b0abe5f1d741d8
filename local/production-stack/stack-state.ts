/**
 * `<data dir>/temporal-on-postgres.json`: what the native production stack fixed when it created its cluster
 * (shard count, ports, PostgreSQL login) and the server version whose schema it holds, so a restart on the same
 * data dir finds the same server. Owner-only: it holds the database password.
 */
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writePrivateJson } from '../../src/config/json-file';

const port = z.number().int().min(1).max(65535);

export const ServerPorts = z.object({
  frontend: port,
  frontendHttp: port,
  frontendMembership: port,
  history: port,
  historyMembership: port,
  matching: port,
  matchingMembership: port,
  worker: port,
  workerMembership: port,
  metrics: port,
});
export type ServerPorts = z.infer<typeof ServerPorts>;

export const StackState = z.object({
  version: z.literal(1),
  /** The server version whose schema the database holds. */
  temporalServerVersion: z.string(),
  shards: z.number().int().positive(),
  namespace: z.string(),
  postgres: z.object({ port, user: z.string(), password: z.string() }),
  ports: ServerPorts,
});
export type StackState = z.infer<typeof StackState>;

export function stackStatePath(dataDir: string): string {
  return path.join(dataDir, 'temporal-on-postgres.json');
}

export function readStackState(dataDir: string): StackState | undefined {
  const remedy = 'restore it, or start on a new data dir';
  return readJsonFile(stackStatePath(dataDir), StackState, 'a production stack state file', remedy);
}

export function writeStackState(dataDir: string, state: StackState): void {
  writePrivateJson(stackStatePath(dataDir), state);
}
