/** Runs the DataCosmos simulator program and waits for the line that says where it listens. */
import { describeExit, LoggedChild, spawnLogged } from './child-process';
import { builtProgram } from './programs';

export interface SimulatorProcessOptions {
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  logFile?: string;
  readyTimeoutMs?: number;
  /** More simulator options, e.g. ['--items', '20000']. */
  extraArgs?: string[];
}

export interface SimulatorProcess extends LoggedChild {
  url: string;
  port: number;
}

interface ListeningEvent {
  event: 'listening';
  url: string;
  port: number;
}

const STOP_GRACE_MS = 5_000;

export function simulatorProgram(): string {
  return builtProgram('simulator/main.js', 'simulator');
}

export async function startSimulatorProcess(opts: SimulatorProcessOptions): Promise<SimulatorProcess> {
  const args = [simulatorProgram(), '--port', String(opts.port), '--data-dir', opts.dataDir, ...(opts.extraArgs ?? [])];
  const sim = spawnLogged(process.execPath, args, { logFile: opts.logFile, stopGraceMs: STOP_GRACE_MS });
  try {
    const listening = await listeningEvent(sim, opts.readyTimeoutMs ?? 30_000);
    return { ...sim, url: listening.url, port: listening.port };
  } catch (err) {
    await sim.stop();
    throw err;
  }
}

/** The simulator's `{"event":"listening",...}` stdout line; rejects if it exits or stays silent too long. */
function listeningEvent(sim: LoggedChild, timeoutMs: number): Promise<ListeningEvent> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sim.child.stdout?.off('data', onData);
      fn();
    };
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      const event = lines.map(parseListening).find((e) => e !== undefined);
      if (event) settle(() => resolve(event));
    };
    const timer = setTimeout(() => {
      settle(() => reject(new Error(`simulator did not report listening within ${timeoutMs} ms: ${sim.lastLine}`)));
    }, timeoutMs);
    sim.child.stdout?.on('data', onData);
    sim.exited.then(
      (exit) => settle(() => reject(new Error(`simulator ${describeExit(exit)}: ${sim.lastLine}`))),
      (err: Error) => settle(() => reject(new Error(`simulator could not be started: ${err.message}`))),
    );
  });
}

function parseListening(line: string): ListeningEvent | undefined {
  try {
    const json = JSON.parse(line) as Partial<ListeningEvent>;
    return json.event === 'listening' && typeof json.url === 'string' ? (json as ListeningEvent) : undefined;
  } catch {
    return undefined;
  }
}
