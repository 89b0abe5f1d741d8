/** `dcp dev`: the whole local stack in the foreground, until Ctrl-C. */
import path from 'node:path';
import { dataDir as defaultDataDir } from '../../src/config/settings';
import { startDevStack, type DevStack } from '../dev-stack';
import { stackFilePath } from '../../src/config/stack-file';
import { runInForeground } from './foreground';

export interface DevOptions {
  dataDir?: string;
  worker: boolean;
  port: number;
  uiPort: number;
  simPort: number;
  s3?: boolean;
  s3Port: number;
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
      ...(opts.s3 ? { s3Port: opts.s3Port } : {}),
    });
  await runInForeground(start, (dev) => printStack(dev, dataDir), 'local stack stopped');
}

function printStack({ stack, s3 }: DevStack, dataDir: string): void {
  const logs = ['temporal', 'simulator', ...(s3 ? ['s3'] : []), ...(stack.worker.running ? ['worker'] : [])];
  const lines = [
    `local stack running (data dir ${dataDir})`,
    `  Temporal:   ${stack.temporal.address} (namespace ${stack.temporal.namespace})`,
    `  Web UI:     ${stack.temporal.uiUrl}`,
    `  Simulator:  ${stack.simulator.url} (organisation ${stack.datacosmos.organisationId}, client ${stack.datacosmos.clientId})`,
    `  Checkout:   ${stack.simulator.url}/checkout/<session> (the link of each unpaid order)`,
    ...(s3
      ? [
          `  S3:         ${s3.endpoint}, bucket ${s3.bucket} (the worker's DELIVER_S3_ENDPOINT; deliver with ` +
            `--deliver s3://${s3.bucket}/PREFIX)`,
        ]
      : []),
    `  Worker:     ${stack.worker.running ? 'running' : 'not started (--no-worker)'}`,
    `  Stack file: ${stackFilePath(dataDir)} (other dcp commands use it)`,
    `  Logs:       ${logs.map((name) => path.join(dataDir, `${name}.log`)).join(', ')}`,
    'press Ctrl-C to stop',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
