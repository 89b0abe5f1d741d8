/** `${XDG_CACHE_HOME:-~/.cache}/datacosmos-purchase`: where programs built or installed for the local stacks are kept. */
import os from 'node:os';
import path from 'node:path';

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache'), 'datacosmos-purchase');
}
