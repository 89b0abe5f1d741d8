/** The long-running processes (`dcp worker`, `dcp webhook`): definitions only. */
import type { Command } from 'commander';
import { port } from '../options';
import { lazyAction } from './lazy-action';

export function registerProcessCommands(program: Command): void {
  program
    .command('worker')
    .description('run a worker: purchase workflows and DataCosmos activities (configured by the environment)')
    .action(async () => {
      const [{ loadSettings }, { runWorker }] = await Promise.all([
        import('../../config/settings'),
        import('../../runtime/purchase-worker'),
      ]);
      await runWorker(loadSettings());
    });

  program
    .command('webhook')
    .description(
      "Receive the payment provider's signed checkout-completed events and signal the waiting purchase " +
        '(secret in DCP_WEBHOOK_SECRET; prints {"event":"listening","url":...} when ready)',
    )
    .option('--port <n>', 'port to listen on (0 = any free port)', port, 8788)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(lazyAction(async () => (await import('../webhook')).runWebhook));
}
