/** The simulator's own admin API under /__sim/ (loopback only, no auth): for tests, demos and benchmarks. */
import { z } from 'zod';
import type { Handler, Sim, RequestContext } from './context';
import { ApiError, ok, parseJsonBody, parseOrThrow, type Reply } from './http';
import { balanceOf } from './ledger';
import { markCancelled, markPaid, orderAudit } from './order-model';
import { parseSettingsPatch, visibleSettings } from './options';
import { SEED_ORGANISATIONS, findOrganisation } from './seed-data';
import { canonical } from './money';
import { randomBytes } from 'node:crypto';

const CreditsBody = z
  .object({ amount: z.union([z.string().regex(/^\d+(\.\d+)?$/), z.number().nonnegative()]) })
  .strict();

export function adminOrganisations(ctx: RequestContext): Reply {
  return ok(
    SEED_ORGANISATIONS.map((org) => ({
      id: org.id,
      name: org.name,
      client_id: org.client_id,
      client_secret: org.client_secret,
      credits: { amount: balanceOf(ctx.sim.state, org.id), currency: org.currency },
      card_payments: org.card_payments,
      contracts: org.contracts,
    })),
  );
}

export async function adminSetCredits(ctx: RequestContext): Promise<Reply> {
  const org = findOrganisation(Number(ctx.params[0]));
  if (!org) throw new ApiError(404, `organisation ${ctx.params[0]} not found`);
  const { amount } = parseOrThrow(CreditsBody, parseJsonBody(ctx.body));
  await ctx.sim.state.setCredits(org.id, canonical(amount));
  return ok({ organisation_id: org.id, amount: balanceOf(ctx.sim.state, org.id), currency: org.currency });
}

export function adminOrders(ctx: RequestContext): Reply {
  const organisation = ctx.url.searchParams.get('organisation');
  const orders = [...ctx.sim.state.orders.values()].filter(
    (o) => organisation === null || String(o.organisation_id) === organisation,
  );
  return ok(orders.sort((a, b) => a.seq - b.seq).map(orderAudit));
}

export async function adminPayOrder(ctx: RequestContext): Promise<Reply> {
  const order = adminOrder(ctx.sim, ctx.params[0]);
  if (order.status === 'CANCELLED') throw new ApiError(409, `order ${order.id} is cancelled`);
  if (order.status === 'UNPAID')
    await markPaid(
      ctx.sim.state,
      order,
      order.payment_method ?? 'BANK_TRANSFER',
      `sim_admin_${randomBytes(6).toString('hex')}`,
    );
  return ok(orderAudit(order));
}

export async function adminCancelOrder(ctx: RequestContext): Promise<Reply> {
  const order = adminOrder(ctx.sim, ctx.params[0]);
  if (order.status === 'PAID') throw new ApiError(409, `order ${order.id} is paid and cannot be cancelled`);
  if (order.status === 'UNPAID') await markCancelled(ctx.sim.state, order);
  return ok(orderAudit(order));
}

function adminOrder(sim: Sim, id: string) {
  const order = sim.state.orders.get(id);
  if (!order) throw new ApiError(404, `order ${id} not found`);
  return order;
}

export function adminGetFaults(ctx: RequestContext): Reply {
  return ok(ctx.sim.faults.current());
}

export function adminPutFaults(ctx: RequestContext): Reply {
  return ok(ctx.sim.faults.replace(parseJsonBody(ctx.body)));
}

export function adminGetStats(ctx: RequestContext): Reply {
  return ok({ ...ctx.sim.stats.snapshot(), held: ctx.sim.faults.heldNow() });
}

export function adminClearStats(ctx: RequestContext): Reply {
  ctx.sim.stats.clear();
  return ok(ctx.sim.stats.snapshot());
}

export function adminGetSettings(ctx: RequestContext): Reply {
  return ok(visibleSettings(ctx.sim.state.settings));
}

export async function adminPutSettings(ctx: RequestContext): Promise<Reply> {
  await ctx.sim.state.updateSettings(parseSettingsPatch(parseJsonBody(ctx.body)));
  ctx.sim.limiter.clear(); // a new limit or scope starts with full buckets
  return ok(visibleSettings(ctx.sim.state.settings));
}

/** Back to the start: seed credits and no orders or sessions, start settings and faults, zero stats. */
export async function adminReset(ctx: RequestContext): Promise<Reply> {
  const { sim } = ctx;
  await sim.state.reset();
  sim.faults.replace(sim.options.faults ?? {});
  sim.stats.clear();
  sim.limiter.clear();
  return ok({ reset: true });
}

/** The admin API by path: each method a path answers, and its handler. */
export const ADMIN_API: Record<string, Partial<Record<'GET' | 'PUT' | 'POST' | 'DELETE', Handler>>> = {
  '/__sim/organisations': { GET: adminOrganisations },
  '/__sim/organisations/:id/credits': { PUT: adminSetCredits },
  '/__sim/orders': { GET: adminOrders },
  '/__sim/orders/:id/pay': { POST: adminPayOrder },
  '/__sim/orders/:id/cancel': { POST: adminCancelOrder },
  '/__sim/faults': { GET: adminGetFaults, PUT: adminPutFaults },
  '/__sim/stats': { GET: adminGetStats, DELETE: adminClearStats },
  '/__sim/settings': { GET: adminGetSettings, PUT: adminPutSettings },
  '/__sim/reset': { POST: adminReset },
};
