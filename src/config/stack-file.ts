/**
 * `<data-dir>/stack.json`: where `dcp dev` (or `dcp stack production`) says what it runs, so other `dcp` commands
 * (and the worker) find the local stack with nothing set by hand. It holds the simulator's seeded credentials only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, writePrivateJson } from './json-file';

export const LocalStack = z.object({
  version: z.literal(1),
  pid: z.number().int(),
  startedAt: z.string(),
  temporal: z.object({ address: z.string(), namespace: z.string(), uiUrl: z.string() }),
  simulator: z.object({ url: z.string() }),
  datacosmos: z.object({
    apiUrl: z.string(),
    authUrl: z.string(),
    clientId: z.string(),
    clientSecret: z.string(),
    organisationId: z.number().int(),
  }),
  worker: z.object({ running: z.boolean() }),
});
export type LocalStack = z.infer<typeof LocalStack>;

export function stackFilePath(dataDir: string): string {
  return path.join(dataDir, 'stack.json');
}

export function writeStackFile(dataDir: string, stack: LocalStack): void {
  writePrivateJson(stackFilePath(dataDir), stack); // it holds the simulator's client secret
}

/** The stack file of `dataDir`, or undefined when there is none. */
export function readStackFile(dataDir: string): LocalStack | undefined {
  return readJsonFile(stackFilePath(dataDir), LocalStack, 'a stack file', 'remove it or run `dcp dev` again');
}

export function removeStackFile(dataDir: string): void {
  fs.rmSync(stackFilePath(dataDir), { force: true });
}
