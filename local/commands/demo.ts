/**
 * `dcp demo`: the local stack on a fresh data dir and three purchases through it — paid by credits,
 * paid by card on the simulator's checkout page, and over budget then approved by update.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { request } from 'undici';
import { DataCosmosClient } from '../../src/datacosmos';
import { startDevStack } from '../dev-stack';
import type { LocalStack } from '../../src/config/stack-file';
import { followPurchase, startPurchase, type PurchaseHandle } from '../../src/workflow-client/purchase-client';
import { approveUpdate, paymentCompletedSignal, statusQuery } from '../../src/shared/purchase-messages';
import {
  TASK_QUEUE,
  type LineItemInput,
  type PurchaseInput,
  type PurchaseResult,
  type PurchaseStatus,
} from '../../src/shared/purchase-types';
import { targetTaskQueue } from '../../src/shared/target';
import { CliError, ExitCode } from '../../src/shared/errors';
import { formatResult, stageLine } from '../../src/cli/purchase-report';

export interface DemoOptions {
  dataDir?: string;
  keep: boolean;
  port: number;
  uiPort: number;
  simPort: number;
}

export async function runDemo(options: DemoOptions): Promise<number> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'dcp-demo-'));
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`data dir: ${dataDir}`);
  const dev = await startDevStack({
    dataDir,
    worker: true,
    temporalPort: options.port,
    uiPort: options.uiPort,
    simPort: options.simPort,
    log: say,
  });
  const connection = await Connection.connect({ address: dev.stack.temporal.address });
  try {
    const demo = new Demo(dev.stack, new Client({ connection, namespace: dev.stack.temporal.namespace }), say);
    const results = await demo.run();
    say('');
    for (const result of results)
      say(`${result.end.padEnd(10)} ${result.purchaseId}  ${demo.workflowLink(result.purchaseId)}`);
    say(`Temporal Web UI: ${dev.stack.temporal.uiUrl}`);
    const failed = results.filter((r) => r.end !== 'COMPLETED');
    if (failed.length > 0) throw new CliError(`demo: ${failed.length} purchase(s) did not complete`, ExitCode.FAILURE);
    if (options.keep) {
      say('the stack stays up (Ctrl-C to stop); other dcp commands in this directory need DCP_DATA_DIR=' + dataDir);
      const stop = () => void dev.stop();
      process.once('SIGINT', stop).once('SIGTERM', stop);
      await dev.done;
    }
    return ExitCode.OK;
  } finally {
    await connection.close();
    if (!options.keep) await dev.stop();
  }
}

class Demo {
  private readonly api: DataCosmosClient;

  constructor(
    private readonly stack: LocalStack,
    private readonly client: Client,
    private readonly say: (line: string) => void,
  ) {
    const d = stack.datacosmos;
    this.api = new DataCosmosClient({
      apiUrl: d.apiUrl,
      authUrl: d.authUrl,
      clientId: d.clientId,
      clientSecret: d.clientSecret,
    });
  }

  workflowLink(purchaseId: string): string {
    return `${this.stack.temporal.uiUrl}/namespaces/${this.stack.temporal.namespace}/workflows/${encodeURIComponent(purchaseId)}`;
  }

  async run(): Promise<PurchaseResult[]> {
    const items = await this.pickItems(4);
    const runId = Date.now().toString(36);
    const results: PurchaseResult[] = [];

    this.say('\n1. A purchase paid with credits');
    results.push(await this.follow(await this.start({ purchaseId: `demo-${runId}-credits`, items: [items[0]] })));

    this.say('\n2. A purchase paid by card on the checkout page (credits set to 0 first)');
    const credits = await this.setCredits('0');
    try {
      const card = await this.start({
        purchaseId: `demo-${runId}-card`,
        items: [items[1]],
        poll: { firstMs: 2000, factor: 1.5, capMs: 10_000 },
      });
      const waiting = await this.waitForStage(card, 'AWAITING_PAYMENT');
      this.say(`   ${stageLine(waiting)}`);
      this.say(`   paying on the checkout page ${waiting.checkoutUrl}`);
      await this.payOnCheckoutPage(waiting.checkoutUrl as string);
      await card.signal(paymentCompletedSignal, waiting.orderId ?? undefined); // as a payment webhook would
      results.push(await this.follow(card));
    } finally {
      await this.setCredits(credits);
    }

    this.say('\n3. A purchase over its budget, approved by update');
    const overBudget = await this.start({
      purchaseId: `demo-${runId}-approval`,
      items: [items[2], items[3]],
      budget: { maxTotal: '1.00', approval: 'wait', approvalTimeoutMs: 10 * 60_000 },
    });
    this.say(`   ${stageLine(await this.waitForStage(overBudget, 'AWAITING_APPROVAL'))}`);
    this.say(`   approving ${overBudget.workflowId} (the update \`dcp approve\` sends)`);
    await overBudget.executeUpdate(approveUpdate, { args: [{ approved: true, note: 'approved by the demo' }] });
    results.push(await this.follow(overBudget));
    return results;
  }

  private async pickItems(count: number): Promise<LineItemInput[]> {
    const page = await this.api.search({ collections: ['menut-l1c-cogs'], limit: count });
    if (page.items.length < count)
      throw new CliError('demo: the simulator catalog has too few items', ExitCode.FAILURE);
    return page.items.map((item) => ({ collection: item.collection, item: item.id }));
  }

  private async start(input: PurchaseInput): Promise<PurchaseHandle> {
    const { handle } = await startPurchase(
      this.client,
      {
        taskQueue: targetTaskQueue(TASK_QUEUE, this.stack.datacosmos),
        organisationId: this.stack.datacosmos.organisationId,
      },
      input,
    );
    this.say(`   started ${input.purchaseId}: ${this.workflowLink(input.purchaseId)}`);
    return handle;
  }

  private async follow(handle: PurchaseHandle): Promise<PurchaseResult> {
    const result = await followPurchase(handle, (status) => this.say(`   ${stageLine(status)}`));
    this.say(formatResult(result).replace(/^/gm, '   '));
    return result;
  }

  private async waitForStage(handle: PurchaseHandle, stage: PurchaseStatus['stage']): Promise<PurchaseStatus> {
    for (let i = 0; i < 600; i++) {
      const status = await handle.query(statusQuery);
      if (status.stage === stage) return status;
      if (['COMPLETED', 'CANCELLED', 'EXPIRED', 'REJECTED', 'FAILED'].includes(status.stage)) {
        throw new CliError(
          `demo: ${handle.workflowId} ended ${status.stage} before ${stage}: ${status.lastError}`,
          ExitCode.FAILURE,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new CliError(`demo: ${handle.workflowId} did not reach ${stage} within 2 minutes`, ExitCode.FAILURE);
  }

  /** What a person does in the browser: open the checkout page, press Pay. */
  private async payOnCheckoutPage(checkoutUrl: string): Promise<void> {
    const page = await request(checkoutUrl);
    const html = await page.body.text();
    if (page.statusCode !== 200 || !html.includes('/pay')) {
      throw new CliError(`demo: the checkout page answered ${page.statusCode}`, ExitCode.FAILURE);
    }
    const paid = await request(`${checkoutUrl}/pay`, { method: 'POST' });
    await paid.body.dump();
    if (paid.statusCode >= 400) throw new CliError(`demo: paying answered ${paid.statusCode}`, ExitCode.FAILURE);
  }

  /** Sets the organisation's credits through the simulator's admin API; returns the previous balance. */
  private async setCredits(amount: string): Promise<string> {
    const org = this.stack.datacosmos.organisationId;
    const base = this.stack.simulator.url;
    const orgs = (await (await request(`${base}/__sim/organisations`)).body.json()) as Array<{
      id: number;
      credits: { amount: string };
    }>;
    const previous = orgs.find((o) => o.id === org)?.credits.amount;
    if (previous === undefined) throw new CliError(`demo: the simulator has no organisation ${org}`, ExitCode.FAILURE);
    const res = await request(`${base}/__sim/organisations/${org}/credits`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount }),
    });
    await res.body.dump();
    if (res.statusCode >= 400) throw new CliError(`demo: setting credits answered ${res.statusCode}`, ExitCode.FAILURE);
    return previous;
  }
}
