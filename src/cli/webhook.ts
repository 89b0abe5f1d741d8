/** `dcp webhook`: the payment webhook listener, which signals `paymentCompleted` to the purchase of a paid order. */
import { Command } from 'commander';
import { loadWebhookSettings } from '../config/settings';
import { createLogger } from '../runtime/logger';
import { createPaymentWebhook } from '../webhook/payment-webhook';
import { temporalPaymentSignaller } from '../webhook/purchase-signaller';
import { ReplayGuard } from '../webhook/replay-guard';
import { startWebhookServer } from '../webhook/server';
import { parser, withContext } from './context';
import { CliError, ExitCode } from '../shared/errors';

function listenPort(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 65535) throw new RangeError('must be a port number (0 = any free port)');
  return Number(text);
}

export function registerWebhookCommand(program: Command): void {
  program
    .command('webhook')
    .description(
      "Receive the payment provider's signed checkout-completed events and signal the waiting purchase " +
        '(secret in DCP_WEBHOOK_SECRET; prints {"event":"listening","url":...} when ready)',
    )
    .option('--port <n>', 'port to listen on (0 = any free port)', parser(listenPort), 8788)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(async (options: { port: number; host: string }) => {
      const webhookSettings = loadWebhookSettings();
      await withContext(async (ctx) => {
        const log = createLogger(ctx.settings.worker.logLevel, { component: 'webhook' });
        const webhook = createPaymentWebhook({
          ...webhookSettings,
          guard: new ReplayGuard(webhookSettings.toleranceS),
          signalPaid: temporalPaymentSignaller(await ctx.temporal()),
          log,
        });
        const server = await startWebhookServer({ ...options, webhook }).catch((err: NodeJS.ErrnoException) => {
          throw new CliError(`cannot listen on ${options.host}:${options.port}: ${err.message}`, ExitCode.UNAVAILABLE);
        });
        process.stdout.write(`${JSON.stringify({ event: 'listening', url: server.url, port: server.port })}\n`);
        log.info(
          { url: server.url, temporal: ctx.settings.temporal.address, namespace: ctx.settings.temporal.namespace },
          'webhook listening',
        );
        await stopSignal();
        await server.close();
        log.info('webhook stopped');
      });
    });
}

function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
