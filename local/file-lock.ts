/**
 * An exclusive lock between processes: a file holding the owner's pid, created atomically
 * (written aside, then hard-linked into place, so it never exists without its pid).
 * A lock whose owner is dead is taken over.
 */
import fs from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from './child-process';

const RETRY_MS = 250;

async function readOwner(file: string): Promise<number | undefined> {
  try {
    const pid = Number((await fs.readFile(file, 'utf8')).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function tryCreate(lockPath: string): Promise<boolean> {
  const aside = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await fs.writeFile(aside, `${process.pid}\n`);
  try {
    await fs.link(aside, lockPath);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await fs.rm(aside, { force: true });
  }
}

/** Moves a dead owner's lock out of the way; puts it back if another process replaced it meanwhile. */
async function takeOver(lockPath: string, deadPid: number): Promise<void> {
  const moved = `${lockPath}.stale.${process.pid}`;
  try {
    await fs.rename(lockPath, moved);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if ((await readOwner(moved)) !== deadPid) await fs.link(moved, lockPath).catch(() => undefined);
  await fs.rm(moved, { force: true });
}

/**
 * Runs `fn` holding the lock at `lockPath`. While another live process holds it, waits,
 * calling `onWait(ownerPid)` once per owner.
 */
export async function withFileLock<T>(
  lockPath: string,
  onWait: (ownerPid: number) => void,
  fn: () => Promise<T>,
): Promise<T> {
  let reportedOwner: number | undefined;
  while (!(await tryCreate(lockPath))) {
    const owner = await readOwner(lockPath);
    if (owner !== undefined && !isProcessAlive(owner)) {
      await takeOver(lockPath, owner);
      continue;
    }
    if (owner !== undefined && owner !== reportedOwner) {
      reportedOwner = owner;
      onWait(owner);
    }
    await sleep(RETRY_MS);
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}
