/** Paths of this package's own built programs (dist/), for the commands that spawn them. */
import fs from 'node:fs';
import { distPath } from '../src/config/package-root';
import { CliError, ExitCode } from '../src/shared/errors';

/** Absolute path of `dist/<relative>`; throws a clear error when it has not been built. */
export function builtProgram(relative: string, what: string): string {
  const file = distPath(relative);
  if (!fs.existsSync(file))
    throw new CliError(`${what} program not found at ${file}: run \`npm run build\``, ExitCode.FAILURE);
  return file;
}
