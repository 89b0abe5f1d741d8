/**
 * The local stack in one call: Temporal dev server (state in `<data-dir>/temporal.db`), the DataCosmos
 * simulator (journal in `<data-dir>/simulator`) and optionally the worker, described in
 * `<data-dir>/stack.json`. Started again on the same data dir, it resumes where it left off.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CliError, ExitCode } from '../src/shared/errors';
import { assertPortFree, DEV_STACK_PORTS } from './ports';
import { simulatorProgram, startSimulatorProcess } from './simulator-process';
import { LocalStack, writeStackFile } from '../src/config/stack-file';
import { resolveTemporalCli } from './temporal-cli';
import { startTemporalDevServer } from './temporal-server';
import { assertNoRunningStack, StackPart, stopParts, supervise } from './stack-parts';
import { startWorkerProcess, workerEnvironment, workerProgram } from './worker-process';
import { LOCAL_S3_CREDENTIALS, startLocalS3 } from './s3-server';

/** The organisation the simulator seeds, with its API client (not a secret: it only exists in the simulator). */
export const SIMULATOR_ACCOUNT = { clientId: 'acme-pipeline', clientSecret: 'acme-secret-1001', organisationId: 1001 };

export interface DevStackOptions {
  dataDir: string;
  worker: boolean;
  temporalPort?: number;
  uiPort?: number;
  simPort?: number;
  /** A local S3-compatible server on this port (`dcp dev --s3`), its bucket the worker's delivery store. */
  s3Port?: number;
  log?: (line: string) => void;
}

/** The bucket `dcp dev --s3` creates. */
export const DEV_BUCKET = 'dcp-dev';

export interface DevStack {
  stack: LocalStack;
  /** With `s3Port`: the local S3 server's endpoint and bucket. */
  s3?: { endpoint: string; bucket: string };
  /** Stops the worker, the simulator and Temporal, in that order, and removes stack.json. */
  stop(): Promise<void>;
  /** Resolves once stopped by stop(); rejects, after stopping the rest, when a part dies on its own. */
  done: Promise<void>;
}

/**
 * The task queue partitions of the data dir's Temporal database, kept in `<data-dir>/temporal-partitions`: one for a
 * new database, four (the server's default, the dev stack's before) for one created before the file was. A database
 * keeps its count: lowering it would strand the tasks waiting in the partitions dropped.
 */
export function taskQueuePartitions(dataDir: string): number {
  const recorded = path.join(dataDir, 'temporal-partitions');
  const existing = fs.existsSync(path.join(dataDir, 'temporal.db'));
  if (existing && fs.existsSync(recorded)) return Number(fs.readFileSync(recorded, 'utf8').trim());
  const count = existing ? 4 : 1;
  fs.writeFileSync(recorded, `${count}\n`);
  return count;
}

export async function startDevStack(opts: DevStackOptions): Promise<DevStack> {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dataDir = path.resolve(opts.dataDir);
  const ports = {
    temporal: opts.temporalPort ?? DEV_STACK_PORTS.temporalPort,
    ui: opts.uiPort ?? DEV_STACK_PORTS.uiPort,
    sim: opts.simPort ?? DEV_STACK_PORTS.simPort,
  };
  await checkBeforeStarting(dataDir, ports, opts.worker);
  if (opts.s3Port !== undefined) await assertPortFree(opts.s3Port, 'local S3 server');
  const cliPath = await resolveTemporalCli();
  fs.mkdirSync(path.join(dataDir, 'simulator'), { recursive: true });

  const parts: StackPart[] = [];
  let stack: LocalStack;
  let s3: DevStack['s3'];
  try {
    log(`starting the Temporal dev server on 127.0.0.1:${ports.temporal}`);
    const temporalLog = path.join(dataDir, 'temporal.log');
    const temporal = await startTemporalDevServer({
      cliPath,
      port: ports.temporal,
      uiPort: ports.ui,
      dbFilename: path.join(dataDir, 'temporal.db'),
      taskQueuePartitions: taskQueuePartitions(dataDir),
      logFile: temporalLog,
    });
    parts.push({ name: 'Temporal dev server', logFile: temporalLog, ...temporal });

    log(`starting the DataCosmos simulator on 127.0.0.1:${ports.sim}`);
    const simulatorLog = path.join(dataDir, 'simulator.log');
    const simulatorDir = path.join(dataDir, 'simulator');
    const simulator = await startSimulatorProcess({ port: ports.sim, dataDir: simulatorDir, logFile: simulatorLog });
    parts.push({ name: 'simulator', logFile: simulatorLog, ...simulator });

    stack = {
      version: 1,
      pid: process.pid,
      startedAt: new Date().toISOString(),
      temporal: { address: temporal.address, namespace: 'default', uiUrl: temporal.uiUrl ?? '' },
      simulator: { url: simulator.url },
      datacosmos: { apiUrl: simulator.url, authUrl: simulator.url, ...SIMULATOR_ACCOUNT },
      worker: { running: opts.worker },
    };
    if (opts.s3Port !== undefined) {
      log(`starting the local S3 server on 127.0.0.1:${opts.s3Port}`);
      const s3Log = path.join(dataDir, 's3.log');
      const server = await startLocalS3({
        port: opts.s3Port,
        bucket: DEV_BUCKET,
        dataDir: path.join(dataDir, 's3'),
        logFile: s3Log,
        log,
      });
      parts.push({ name: 'local S3 server', logFile: s3Log, ...server });
      s3 = { endpoint: server.endpoint, bucket: server.bucket };
    }
    if (opts.worker) {
      log('starting the worker');
      const workerLog = path.join(dataDir, 'worker.log');
      const variables = {
        ...workerEnvironment(stack),
        ...(s3 ? { DELIVER_S3_ENDPOINT: s3.endpoint, ...LOCAL_S3_CREDENTIALS } : {}),
      };
      parts.push({ name: 'worker', logFile: workerLog, ...startWorkerProcess(variables, workerLog) });
    }
    writeStackFile(dataDir, stack);
  } catch (err) {
    await stopParts(parts);
    throw err;
  }
  return { stack, ...(s3 ? { s3 } : {}), ...supervise(parts, dataDir) };
}

async function checkBeforeStarting(
  dataDir: string,
  ports: { temporal: number; ui: number; sim: number },
  worker: boolean,
): Promise<void> {
  assertNoRunningStack(dataDir);
  if (new Set(Object.values(ports)).size !== 3) {
    throw new CliError(`the Temporal, Web UI and simulator ports must differ`, ExitCode.USAGE);
  }
  await assertPortFree(ports.temporal, 'Temporal server');
  await assertPortFree(ports.ui, 'Temporal Web UI');
  await assertPortFree(ports.sim, 'simulator');
  simulatorProgram();
  if (worker) workerProgram();
}
