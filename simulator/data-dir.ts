/**
 * The data directory: the catalog parameters and token signing key it was created with
 * (simulator.json) and the journal. A restart reuses them; a conflicting explicit catalog is refused.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from './options';

export interface DataDirMeta {
  seed: number;
  items: number;
  /** HMAC key for access tokens (hex): persisted so tokens stay valid across restarts. */
  token_key: string;
}

export class DataDirConflict extends Error {}

export function journalPath(dataDir: string): string {
  return path.join(dataDir, 'journal.jsonl');
}

export async function openDataDir(dataDir: string, wanted: { seed?: number; items?: number }): Promise<DataDirMeta> {
  await fs.mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, 'simulator.json');
  const stored = await readMeta(file);
  if (stored) {
    for (const key of ['seed', 'items'] as const) {
      const value = wanted[key];
      if (value !== undefined && value !== stored[key])
        throw new DataDirConflict(
          `data dir ${dataDir} holds a catalog made with --seed ${stored.seed} --items ${stored.items}; got --${key} ${value} (use another --data-dir)`,
        );
    }
    return stored;
  }
  const meta: DataDirMeta = {
    seed: wanted.seed ?? DEFAULTS.seed,
    items: wanted.items ?? DEFAULTS.items,
    token_key: randomBytes(32).toString('hex'),
  };
  const temporary = `${file}.tmp`;
  await fs.writeFile(temporary, JSON.stringify(meta, null, 2), { mode: 0o600 });
  await fs.rename(temporary, file);
  return meta;
}

async function readMeta(file: string): Promise<DataDirMeta | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as DataDirMeta;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}
