/**
 * Our own servers (the simulator, `dcp webhook`) print `{"event":"listening","url":...,"port":...}` on stdout once
 * they accept connections: runs one and waits for that line.
 */
import { describeExit, LoggedChild, spawnLogged } from './child-process';

export interface ListeningProcess extends LoggedChild {
  url: string;
  port: number;
}

interface ListeningEvent {
  event: 'listening';
  url: string;
  port: number;
}

export interface ListeningProcessOptions {
  /** For errors: 'simulator'. */
  what: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  logFile?: string;
  stopGraceMs: number;
  readyTimeoutMs?: number;
}

/** `node <args>`; resolves once it reports listening, rejects (having stopped it) when it exits or stays silent. */
export async function startListeningProcess(opts: ListeningProcessOptions): Promise<ListeningProcess> {
  const child = spawnLogged(process.execPath, opts.args, {
    env: opts.env,
    logFile: opts.logFile,
    stopGraceMs: opts.stopGraceMs,
  });
  try {
    const listening = await listeningEvent(opts.what, child, opts.readyTimeoutMs ?? 30_000);
    return { ...child, url: listening.url, port: listening.port };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

function listeningEvent(what: string, process: LoggedChild, timeoutMs: number): Promise<ListeningEvent> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      process.child.stdout?.off('data', onData);
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
      settle(() => reject(new Error(`${what} did not report listening within ${timeoutMs} ms: ${process.lastLine}`)));
    }, timeoutMs);
    process.child.stdout?.on('data', onData);
    process.exited.then(
      (exit) => settle(() => reject(new Error(`${what} ${describeExit(exit)}: ${process.lastLine}`))),
      (err: Error) => settle(() => reject(new Error(`${what} could not be started: ${err.message}`))),
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
