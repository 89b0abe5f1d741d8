/**
 * A local stack for command-line tests: `startDevStack` on free ports in a fresh data dir, and `dcp` run as
 * a separate process against it, the way a user runs it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevStack, type DevStack } from '../../local/dev-stack';
import { freePort } from '../../local/ports';
import { SimAdmin } from '../../harness/simulator';

const DCP = path.resolve(__dirname, '../../dist/src/starter.js');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export class CliStack {
  private constructor(
    readonly dataDir: string,
    readonly dev: DevStack,
    readonly admin: SimAdmin,
  ) {}

  static async start(): Promise<CliStack> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-cli-'));
    const dev = await startDevStack({
      dataDir,
      worker: true,
      temporalPort: await freePort(),
      uiPort: await freePort(),
      simPort: await freePort(),
      log: () => undefined,
    });
    return new CliStack(dataDir, dev, new SimAdmin(dev.stack.simulator.url));
  }

  /** Runs `dcp ARGS` with only PATH and the data dir set, plus `env`. */
  dcp(args: string[], env: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [DCP, ...args],
        {
          env: { PATH: process.env.PATH, DCP_DATA_DIR: this.dataDir, ...env },
          timeout: 60_000,
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  /** `COLLECTION/ITEM` ids from the catalog, through `dcp search`. */
  async items(count: number, collection = 'menut-l1c-cogs'): Promise<string[]> {
    const search = await this.dcp(['search', '--collection', collection, '--limit', String(count), '--json']);
    if (search.code !== 0) throw new Error(`dcp search failed: ${search.stderr}`);
    return (JSON.parse(search.stdout) as Array<{ collection: string; id: string }>).map(
      (i) => `${i.collection}/${i.id}`,
    );
  }

  async orderCount(organisation = 1001): Promise<number> {
    return (await this.admin.orders(organisation)).length;
  }

  stop(): Promise<void> {
    return this.dev.stop();
  }
}
