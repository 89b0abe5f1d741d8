/** Runs `dcp webhook`, the payment webhook listener, and waits for the line that says where it listens. */
import { startListeningProcess, type ListeningProcess } from './listening-process';
import { builtProgram } from './programs';

const STOP_GRACE_MS = 5_000;

export function dcpProgram(): string {
  return builtProgram('src/starter.js', 'dcp');
}

/** `dcp webhook --host 127.0.0.1 --port <port>` (0: a free one) with these variables on top of ours. */
export function startWebhookProcess(
  port: number,
  variables: Record<string, string>,
  logFile?: string,
): Promise<ListeningProcess> {
  return startListeningProcess({
    what: 'webhook listener',
    args: [dcpProgram(), 'webhook', '--host', '127.0.0.1', '--port', String(port)],
    env: { ...process.env, ...variables },
    logFile,
    stopGraceMs: STOP_GRACE_MS,
  });
}
