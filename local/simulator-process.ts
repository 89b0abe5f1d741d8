/** Runs the DataCosmos simulator program and waits for the line that says where it listens. */
import { startListeningProcess, type ListeningProcess } from './listening-process';
import { builtProgram } from './programs';

export interface SimulatorProcessOptions {
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  logFile?: string;
  readyTimeoutMs?: number;
  /** More simulator options, e.g. ['--items', '20000']. */
  extraArgs?: string[];
  /** Its environment (default: ours), e.g. with SIM_WEBHOOK_SECRET. */
  env?: NodeJS.ProcessEnv;
}

export type SimulatorProcess = ListeningProcess;

const STOP_GRACE_MS = 5_000;

export function simulatorProgram(): string {
  return builtProgram('simulator/main.js', 'simulator');
}

export function startSimulatorProcess(opts: SimulatorProcessOptions): Promise<SimulatorProcess> {
  const args = [simulatorProgram(), '--port', String(opts.port), '--data-dir', opts.dataDir, ...(opts.extraArgs ?? [])];
  return startListeningProcess({
    what: 'simulator',
    args,
    env: opts.env,
    logFile: opts.logFile,
    stopGraceMs: STOP_GRACE_MS,
    readyTimeoutMs: opts.readyTimeoutMs,
  });
}
