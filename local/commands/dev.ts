/** `dcp dev`: the whole local stack in the foreground, until Ctrl-C. */
import path from 'node:path';
import { dataDir as defaultDataDir } from '../../src/config/settings';
import { startDevStack } from '../dev-stack';
import { LocalStack, stackFilePath } from '../../src/config/stack-file';
import { runInForeground } from './foreground';

export interface DevOptions {
  dataDir?: string;
  worker: boolean;
  port: number;
  uiPort: number;
  simPort: number;
}

export async function runDev(opts: DevOptions): Promise<void> {
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : defaultDataDir();
  const start = () =>
    startDevStack({
      dataDir,
      worker: opts.worker,
      temporalPort: opts.port,
      uiPort: opts.uiPort,
      simPort: opts.simPort,
    });
  await runInForeground(start, (dev) => printStack(dev.stack, dataDir), 'local stack stopped');
}

function printStack(stack: LocalStack, dataDir: string): void {
  const logs = ['temporal', 'simulator', ...(stack.worker.running ? ['worker'] : [])];
  const lines = [
    `local stack running (data dir ${dataDir})`,
    `  Temporal:   ${stack.temporal.address} (namespace ${stack.temporal.namespace})`,
    `  Web UI:     ${stack.temporal.uiUrl}`,
    `  Simulator:  ${stack.simulator.url} (organisation ${stack.datacosmos.organisationId}, client ${stack.datacosmos.clientId})`,
    `  Checkout:   ${stack.simulator.url}/checkout/<session> (the link of each unpaid order)`,
    `  Worker:     ${stack.worker.running ? 'running' : 'not started (--no-worker)'}`,
    `  Stack file: ${stackFilePath(dataDir)} (other dcp commands use it)`,
    `  Logs:       ${logs.map((name) => path.join(dataDir, `${name}.log`)).join(', ')}`,
    'press Ctrl-C to stop',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
