/**
 * The worker as operators run it: configured by the environment, JSON logs with the purchase and order
 * ids and never a secret, Prometheus metrics, a clean stop on SIGTERM, one-line configuration errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { settingsEnvironment } from '../src/config/settings';
import { freePort } from '../local/ports';
import { setSpendLimit } from '../src/activities/spend';
import { paymentCompletedSignal } from '../src/shared/purchase-messages';
import { until } from '../harness/until';
import { onePurchaseEnvPerFile, PurchaseEnv } from './support/purchase-env';
import { runWorkerProcess } from './support/worker-process';

let env: PurchaseEnv;
onePurchaseEnvPerFile((started) => (env = started), { worker: false });

test('logs are JSON with purchase and order ids and no secret; metrics are served; SIGTERM stops it cleanly', async () => {
  const metricsPort = await freePort();
  const notifySecret = 'notify-secret-of-the-worker-process';
  const worker = runWorkerProcess({
    ...settingsEnvironment(env.settings),
    LOG_LEVEL: 'info',
    METRICS_PORT: String(metricsPort),
    // A default receiver that is down: every purchase's events fail there, are counted and logged, and retried.
    NOTIFY_URL: `http://127.0.0.1:${await freePort()}/events`,
    NOTIFY_SECRET: notifySecret,
  });
  try {
    const monthly = { name: 'monthly', period: 'month', amount: '1000000', currency: 'EUR', timeZone: 'UTC' } as const;
    const scope = { taskQueue: env.taskQueue, organisationId: 1001 };
    const limit = { ...monthly, scope: { kind: 'organisation' } as const, setAt: new Date().toISOString() };
    await setSpendLimit(env.client, scope, limit, 1_000);
    const batchId = 'nightly-2026-11-28';
    const result = await (await env.buy({ items: await env.items(1), batchId })).result();
    expect(result.end).toBe('COMPLETED');
    await env.admin.setFaults({ seed: 1, endpoints: { order_create: { lostReply: 1 } } });
    const retried = await (await env.buy({ items: await env.items(1) })).result();
    await env.admin.setFaults({});
    expect(retried.end).toBe('COMPLETED');
    await env.admin.setCredits(1001, '0');
    const card = await env.buy({ items: await env.items(1) });
    const waiting = await env.waitForStage(card, 'AWAITING_PAYMENT');
    await env.admin.payOrder(waiting.orderId as string);
    await card.signal(paymentCompletedSignal);
    expect((await card.result()).end).toBe('COMPLETED');
    await env.admin.setCredits(1001, '100000');

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toMatch(/^temporal_workflow_completed/m);
    expect(metrics).toMatch(/^temporal_activity_execution_latency/m);
    expect(metrics).toMatch(/^dcp_purchases\{end="COMPLETED",.*\} 3$/m);
    expect(metrics).toMatch(/^dcp_payment_wait_count\{end="COMPLETED",.*\} 1$/m);
    const limitLine = metrics
      .split('\n')
      .find((l) => l.startsWith('dcp_spend_limit{') && l.includes('kind="spent"') && l.includes('limit="monthly"'));
    const limitSpent = Number(limitLine?.split(' ').pop());
    expect(metrics).toMatch(/^dcp_activity_retries\{activity="createOrderOnce"\} 1$/m);
    expect(metrics).toMatch(/^dcp_datacosmos_requests\{endpoint="order_create",status="error"\} 1$/m);
    const spend = Number(/^dcp_paid_order_total_sum\{currency="EUR",.*\} (\S+)$/m.exec(metrics)?.[1]);
    expect(spend).toBeGreaterThan(Number(result.total) + Number(retried.total));
    expect(limitSpent).toBeCloseTo(spend, 2); // the month's limit counts every paid order
    for (const endpoint of ['stac_search', 'order_checkout']) {
      expect(metrics).toMatch(
        new RegExp(`^dcp_datacosmos_requests\\{endpoint="${endpoint}",status="20[01]"\\} 3$`, 'm'),
      );
      expect(metrics).toMatch(
        new RegExp(`^dcp_datacosmos_request_duration_bucket\\{endpoint="${endpoint}",le="5"\\}`, 'm'),
      );
    }

    const failures = await until(
      'failed notifications counted',
      async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text(),
      (text) =>
        /^dcp_notification_failures\{[^}]*event="purchase_ended"[^}]*receiver="default"[^}]*\} [1-9]/m.test(text),
    );
    expect(failures).toMatch(
      /^dcp_notification_failures\{[^}]*event="payment_link_ready"[^}]*receiver="default"[^}]*\} [1-9]/m,
    );
    // The count above may come from an earlier purchase's end: the card purchase's own failed attempt is logged by
    // its notification's child workflow, which may not have run yet when the purchase returns.
    await until(
      "the card purchase's purchase_ended notification logged",
      async () => worker.stderr(),
      (text) => text.includes(`"eventId":"notify/${card.workflowId}/purchase_ended"`),
    );

    // Every metric the Grafana dashboard charts is one this worker serves.
    const dashboard = JSON.parse(
      fs.readFileSync(path.resolve(__dirname, '../deploy/grafana/datacosmos-purchase.json'), 'utf8'),
    );
    const charted = new Set<string>();
    for (const panel of dashboard.panels)
      for (const target of panel.targets)
        for (const name of target.expr.match(/\b(dcp|temporal)_[a-z_]+/g)) charted.add(name);
    expect(charted.size).toBeGreaterThanOrEqual(8);
    for (const name of charted) expect(metrics).toMatch(new RegExp(`^${name}[{ ]`, 'm'));

    expect(await worker.stop()).toBe(0);
    const lines = worker.stderr().trim().split('\n');
    const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records[0]).toMatchObject({ msg: 'worker started', organisationId: 1001 });
    expect(records.find((r) => r.msg === 'order created' && r.orderId === result.orderId)).toMatchObject({
      purchaseId: result.purchaseId,
      batchId,
    });
    expect(records.find((r) => r.msg === 'adopted the order of an earlier attempt')).toMatchObject({
      purchaseId: retried.purchaseId,
      orderId: retried.orderId,
    });
    expect(records.find((r) => r.msg === 'adopted the order of an earlier attempt')?.batchId).toBeUndefined();
    // A failed attempt says why: the error's type and message, not an empty object.
    const failed = records.find((r) => r.msg === 'Activity failed' && r.activityType === 'createOrderOnce');
    expect(failed).toMatchObject({
      purchaseId: retried.purchaseId,
      error: { type: 'DataCosmos.outcome_unknown', message: expect.stringMatching(/^order_create POST failed \(/) },
    });
    // Every line an activity writes names its purchase.
    const activityLines = records.filter((r) => r.activityType);
    expect(activityLines.length).toBeGreaterThanOrEqual(4);
    for (const record of activityLines) expect(record.purchaseId).toEqual(expect.any(String));
    expect(records.at(-1)).toMatchObject({ msg: 'worker stopped' });
    const token = await env.token();
    const notification = records.find((r) => r.eventId === `notify/${card.workflowId}/purchase_ended`);
    expect(notification).toMatchObject({ purchaseId: card.workflowId, receiver: 'default' });
    for (const line of lines) {
      expect(line).not.toContain(notifySecret);
      expect(line).not.toContain(env.account.clientSecret);
      expect(line).not.toContain(token);
    }
  } finally {
    worker.child.kill('SIGKILL');
  }
}, 60_000);

test('a bad variable is named in one line and exits 2; an unreachable Temporal exits 7', async () => {
  const bad = runWorkerProcess({
    ...settingsEnvironment(env.settings),
    DATACOSMOS_ORGANISATION_ID: 'acme',
    METRICS_PORT: '99999',
  });
  expect(await bad.exited).toBe(2);
  expect(bad.stderr().trim()).toBe(
    'worker: invalid configuration: DATACOSMOS_ORGANISATION_ID must be a positive whole number; METRICS_PORT must be a port number',
  );

  const unreachable = runWorkerProcess({
    ...settingsEnvironment(env.settings),
    TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}`,
  });
  expect(await unreachable.exited).toBe(7);
  expect(unreachable.stderr().trim().split('\n').at(-1)).toMatch(/^worker: cannot reach Temporal at 127\.0\.0\.1:\d+/);
}, 60_000);
