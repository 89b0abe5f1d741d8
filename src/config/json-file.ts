/** Small JSON state files of the local stacks: read only when present and valid, written whole and owner-only. */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { CliError, ExitCode } from '../shared/errors';

/** Written aside and renamed, so a reader never sees half a file; owner-only, as such files hold secrets. */
export function writePrivateJson(file: string, value: unknown): void {
  const aside = `${file}.${process.pid}.tmp`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(aside, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(aside, file);
}

/**
 * The file's content as `schema` describes it, or undefined when there is no file; a file that is not JSON or
 * not of that shape is a usage error, naming the file, `what` it should be and what to do about it.
 */
export function readJsonFile<T extends z.ZodType>(
  file: string,
  schema: T,
  what: string,
  remedy: string,
): z.infer<T> | undefined {
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
    throw new CliError(`${file} is not valid JSON: ${remedy}`, ExitCode.USAGE);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${file} is not ${what}: ${issue.path.join('.')} ${issue.message}`, ExitCode.USAGE);
  }
  return parsed.data;
}
