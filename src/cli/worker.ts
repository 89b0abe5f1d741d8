/** `dcp worker`: the worker process in the foreground. */
import { Command } from 'commander';
import { loadSettings } from '../config/settings';
import { runWorker } from '../runtime/purchase-worker';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker: purchase workflows and DataCosmos activities (configured by the environment)')
    .action(async () => {
      await runWorker(loadSettings());
    });
}
