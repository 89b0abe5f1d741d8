/**
 * `<data-dir>/stack.json`: where `dcp dev` says what it runs, so other `dcp` commands (and the worker)
 * find the local stack with nothing set by hand. It holds the simulator's seeded credentials only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CliError, ExitCode } from '../shared/errors';

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
  const file = stackFilePath(dataDir);
  const aside = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(dataDir, { recursive: true });
  // Written aside and renamed, so a reader never sees half a file; owner-only as it holds a client secret.
  fs.writeFileSync(aside, `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(aside, file);
}

/** The stack file of `dataDir`, or undefined when there is none. */
export function readStackFile(dataDir: string): LocalStack | undefined {
  const file = stackFilePath(dataDir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not valid JSON: remove it or run \`dcp dev\` again`, ExitCode.USAGE);
  }
  const parsed = LocalStack.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${file} is not a stack file: ${issue.path.join('.')} ${issue.message}`, ExitCode.USAGE);
  }
  return parsed.data;
}

export function removeStackFile(dataDir: string): void {
  fs.rmSync(stackFilePath(dataDir), { force: true });
}
