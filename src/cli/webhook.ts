/** `dcp webhook`: the payment webhook listener, which signals `paymentCompleted` to the purchase of a paid order. */
import { loadWebhookSettings } from '../config/settings';
import { createLogger } from '../runtime/logger';
import { createPaymentWebhook } from '../webhook/payment-webhook';
import { temporalPaymentSignaller } from '../webhook/purchase-signaller';
import { ReplayGuard } from '../webhook/replay-guard';
import { startWebhookServer } from '../webhook/server';
import { withContext } from './context';
import { CliError, ExitCode } from '../shared/errors';

export async function runWebhook(options: { port: number; host: string }): Promise<void> {
  const webhookSettings = loadWebhookSettings();
  await withContext(async (ctx) => {
    const log = createLogger(ctx.settings.worker.logLevel, { component: 'webhook' });
    const webhook = createPaymentWebhook({
      ...webhookSettings,
      guard: new ReplayGuard(webhookSettings.toleranceS),
      signalPaid: temporalPaymentSignaller(await ctx.temporal(), ctx.settings.temporal.taskQueue),
      log,
    });
    const server = await startWebhookServer({ ...options, webhook }).catch((err: NodeJS.ErrnoException) => {
      throw new CliError(`cannot listen on ${options.host}:${options.port}: ${err.message}`, ExitCode.UNAVAILABLE);
    });
    process.stdout.write(`${JSON.stringify({ event: 'listening', url: server.url, port: server.port })}\n`);
    log.info(
      {
        url: server.url,
        temporal: ctx.settings.temporal.address,
        namespace: ctx.settings.temporal.namespace,
        taskQueue: ctx.settings.temporal.taskQueue,
      },
      'webhook listening',
    );
    await stopSignal();
    await server.close();
    log.info('webhook stopped');
  }, 'target');
}

function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
