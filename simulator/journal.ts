/**
 * An append-only JSON-lines journal. Appends made in one event-loop turn are written and
 * fdatasync'ed together (group commit); each append resolves once its line is on disk, so a
 * handler that awaits it only acknowledges what survives kill -9.
 */
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class Journal {
  private pending: string[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;

  private constructor(private readonly handle: FileHandle) {}

  /** Rewrites the journal as `records` (a compacted snapshot) and opens it for appending. */
  static async create(file: string, records: unknown[]): Promise<Journal> {
    const temporary = `${file}.tmp`;
    const snapshot = await fs.open(temporary, 'w');
    await snapshot.writeFile(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    await snapshot.sync();
    await snapshot.close();
    await fs.rename(temporary, file);
    await syncDirectory(path.dirname(file));
    return new Journal(await fs.open(file, 'a'));
  }

  /** Reads every complete record; a torn last line (a crash mid-write) is dropped. */
  static async read(file: string): Promise<unknown[]> {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    // The piece after the last newline is either empty or a torn write.
    const complete = text.split('\n').slice(0, -1);
    return complete.filter((line) => line.length > 0).map((line, i) => parseLine(file, line, i + 1));
  }

  append(record: unknown): Promise<void> {
    this.pending.push(`${JSON.stringify(record)}\n`);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.schedule();
    return done;
  }

  /** Waits for every append so far to be on disk, then closes the file. */
  async close(): Promise<void> {
    while (this.pending.length > 0 || this.flushing || this.scheduled) {
      await (this.flushing ?? new Promise((resolve) => setImmediate(resolve)));
    }
    await this.handle.close();
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.pending.length > 0) this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    const lines = this.pending;
    const waiters = this.waiters;
    this.pending = [];
    this.waiters = [];
    try {
      await this.handle.write(lines.join(''));
      await this.handle.datasync();
      for (const w of waiters) w.resolve();
    } catch (error) {
      for (const w of waiters) w.reject(error);
    }
  }
}

function parseLine(file: string, line: string, number: number): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw new Error(`journal ${file} line ${number} is corrupt`);
  }
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await fs.open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
