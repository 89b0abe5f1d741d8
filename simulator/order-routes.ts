/**
 * Orders: create (with full validation; a sub-area line item is checked against and priced by its item's
 * footprint), get by id, and list with filters and cursor paging (full variant only).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Caller } from './auth';
import { apiVariant, callerOf, type RequestContext } from './context';
import { itemPrice, usableContract } from './contracts';
import { ApiError, data, parseJsonBody, parseOrThrow, type Reply } from './http';
import { payWithCredits } from './ledger';
import { total } from './money';
import { expireIfDue, nowIso } from './order-model';
import { orderJson } from './order-replies';
import { lookupItem } from './pricing-routes';
import type { LineItem, OrderRecord } from './state';
import { subAreaPrice } from './sub-area';

const nonEmpty = z.string().min(1);

/** The documented create request: IMAGE line items by collection, item and level, for an organisation and contract. */
const NewOrder = z.object({
  type: z.literal('IMAGE'),
  organisation: z.number().int(),
  contract_id: z.number().int(),
  data: z.object({
    order_line_items: z
      .array(
        z.object({
          collection: nonEmpty,
          item: nonEmpty,
          level: nonEmpty,
          // Sub-area orders; whether both are present is checked per line below, naming the missing one.
          geometry: z.looseObject({ type: z.string(), coordinates: z.array(z.unknown()) }).optional(),
          project_id: z.string().optional(),
        }),
      )
      .min(1),
  }),
  licenses: z
    .array(
      z.object({
        license_link: z.string(),
        license_name: z.string(),
        license_version: z.string(),
        accepted: z.literal(true),
      }),
    )
    .optional(),
});

const ORDER_STATUSES = z.enum(['UNPAID', 'PAID', 'CANCELLED']);

const LIST_DEFAULT_LIMIT = 50;

export async function createOrder(ctx: RequestContext): Promise<Reply> {
  const caller = callerOf(ctx);
  const request = parseOrThrow(NewOrder, parseJsonBody(ctx.body));
  if (request.organisation !== caller.organisation.id)
    throw new ApiError(403, `organisation ${request.organisation} is not the caller's organisation`, 'organisation');
  const contract = usableContract(caller.organisation, request.contract_id, ctx.sim.state.settings.rateFactor);
  if (ctx.sim.state.settings.requireLicenses && !request.licenses?.length)
    throw new ApiError(400, 'licenses must list the accepted licences of the ordered data', 'licenses');
  const lines = request.data.order_line_items.map((line, i): LineItem => {
    const field = `data.order_line_items.${i}`;
    const item = lookupItem(ctx, line.collection, line.item);
    const level = item.collection.level;
    if (line.level !== level)
      throw new ApiError(
        400,
        `${field}.level must be ${level} for item ${line.item}, got ${line.level}`,
        `${field}.level`,
      );
    if ((line.geometry === undefined) !== (line.project_id === undefined))
      throw new ApiError(
        400,
        `${field}: geometry and project_id must be given together`,
        line.geometry ? `${field}.project_id` : `${field}.geometry`,
      );
    // A sub-area line item is priced by the part of the footprint it names.
    return {
      id: randomUUID(),
      collection: line.collection,
      item: line.item,
      level,
      price: line.geometry
        ? subAreaPrice(contract, item, line.geometry, `${field}.geometry`)
        : itemPrice(contract, item),
      currency: contract.currency,
      ...(line.geometry ? { geometry: line.geometry, project_id: line.project_id } : {}),
    };
  });
  const now = nowIso();
  const order: OrderRecord = {
    seq: ctx.sim.state.nextSeq(),
    id: randomUUID(),
    customer_id: caller.clientId,
    organisation_id: caller.organisation.id,
    contract_id: contract.contract_id,
    status: 'UNPAID',
    payment_method: null,
    payment_reference_number: null,
    order_line_items: lines,
    total: total(lines.map((line) => line.price)),
    currency: contract.currency,
    checkout_url: '',
    created_at: now,
    updated_at: now,
    paid_at: null,
    checkout_count: 0,
    charged: '0',
    session: null,
  };
  const saved = ctx.sim.state.saveOrder(order);
  const paid = ctx.sim.state.settings.creditsAt === 'create' ? payWithCredits(ctx.sim.state, order) : null;
  await Promise.all([saved, paid]);
  return data(orderJson(order, apiVariant(ctx)), 201);
}

export async function getOrder(ctx: RequestContext): Promise<Reply> {
  const caller = callerOf(ctx);
  const order = await visibleOrder(ctx, caller, ctx.params[0]);
  return data(orderJson(order, apiVariant(ctx)));
}

/** The caller's order, with a lapsed checkout session applied; another organisation's order is "not found". */
export async function visibleOrder(ctx: RequestContext, caller: Caller, id: string): Promise<OrderRecord> {
  const order = ctx.sim.state.orders.get(id);
  if (!order || order.organisation_id !== caller.organisation.id) throw new ApiError(404, `order ${id} not found`);
  await expireIfDue(ctx.sim.state, order);
  return order;
}

export async function listOrders(ctx: RequestContext): Promise<Reply> {
  const caller = callerOf(ctx);
  const params = ctx.url.searchParams;
  const organisation = integerParam(params.get('organisation'), 'organisation');
  if (organisation === null) throw new ApiError(400, 'query parameter organisation is required', 'organisation');
  if (organisation !== caller.organisation.id)
    throw new ApiError(403, `organisation ${organisation} is not the caller's organisation`, 'organisation');
  const status = params.has('status') ? parseOrThrow(ORDER_STATUSES, params.get('status')) : null;
  const createdAfter = params.has('created_after') ? isoParam(params.get('created_after')!, 'created_after') : null;
  const limit = integerParam(params.get('limit'), 'limit') ?? LIST_DEFAULT_LIMIT;
  const { orderListMaxLimit: maxLimit } = ctx.sim.state.settings;
  if (limit < 1 || limit > maxLimit) throw new ApiError(400, `limit must be between 1 and ${maxLimit}`, 'limit');
  const before = params.has('cursor') ? decodeListCursor(params.get('cursor')!) : Infinity;

  const all = ctx.sim.state.ordersByOrg.get(organisation) ?? [];
  await Promise.all(all.map((order) => expireIfDue(ctx.sim.state, order)));
  const page: OrderRecord[] = [];
  let nextCursor: string | null = null;
  // Newest first: walk the creation-ordered list backwards from the cursor.
  for (let i = all.length - 1; i >= 0; i--) {
    const order = all[i];
    if (order.seq >= before) continue;
    if (createdAfter !== null && Date.parse(order.created_at) <= createdAfter) break;
    if (status && order.status !== status) continue;
    if (page.length === limit) {
      nextCursor = encodeListCursor(page[page.length - 1].seq);
      break;
    }
    page.push(order);
  }
  // Only the full variant has this endpoint (the route table answers 404 in the documented one).
  return data(
    page.map((order) => orderJson(order, 'full')),
    200,
    { pagination: { next_cursor: nextCursor } },
  );
}

function integerParam(text: string | null, field: string): number | null {
  if (text === null) return null;
  if (!/^-?\d+$/.test(text)) throw new ApiError(400, `${field} must be an integer, got "${text}"`, field);
  return Number(text);
}

function isoParam(text: string, field: string): number {
  const epoch = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(epoch))
    throw new ApiError(400, `${field} must be an ISO 8601 date-time, got "${text}"`, field);
  return epoch;
}

function encodeListCursor(seq: number): string {
  return Buffer.from(`o:${seq}`).toString('base64url');
}

function decodeListCursor(cursor: string): number {
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ApiError(400, 'cursor is invalid; use pagination.next_cursor of the previous page', 'cursor');
  return Number(match[1]);
}
