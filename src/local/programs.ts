/** Paths of this package's own built programs (dist/), for the commands that spawn them. */
import fs from 'node:fs';
import path from 'node:path';
import { CliError, ExitCode } from '../cli/exit-codes';

// Built, this file is dist/local/programs.js; under jest it runs from src/local/programs.ts.
const distDir =
  path.basename(path.dirname(__dirname)) === 'src' ? path.resolve(__dirname, '../../dist') : path.dirname(__dirname);

/** Absolute path of `dist/<relative>`; throws a clear error when it has not been built. */
export function builtProgram(relative: string, what: string): string {
  const file = path.join(distDir, relative);
  if (!fs.existsSync(file))
    throw new CliError(`${what} program not found at ${file}: run \`npm run build\``, ExitCode.FAILURE);
  return file;
}
