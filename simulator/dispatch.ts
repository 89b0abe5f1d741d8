/**
 * One request from arrival to reply: route, admin guard, faults before handling, body, handler,
 * faults after handling (the change is already durable), statistics, and writing the reply.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Sim } from './context';
import { driftedBody, malformedBody, type FaultPlan } from './faults';
import { ApiError, errorReply, isLoopback, readBody, type Reply } from './http';
import { matchRoute, type Route } from './routes';

export async function dispatch(sim: Sim, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const match = matchRoute(req.method ?? 'GET', url.pathname, sim.state.settings.apiVariant);
  if ('status' in match) {
    const message =
      match.status === 404
        ? `no such endpoint: ${url.pathname}`
        : `method ${req.method} not allowed on ${url.pathname}`;
    return send(res, errorReply(new ApiError(match.status, message)));
  }
  const { route, params } = match;
  if (route.kind === 'admin' && !isLoopback(req.socket.remoteAddress))
    return send(res, errorReply(new ApiError(403, 'the simulator admin API answers loopback clients only')));
  const takesFaults = route.kind !== 'admin' && route.kind !== 'checkout_page';
  const plan = takesFaults ? sim.faults.plan(route.kind) : null;
  if (plan && (await faultBeforeHandling(sim, route, plan, req, res))) return;

  let reply = await handle(sim, route, req, url, params);
  if (plan?.kind === 'lostReply') {
    sim.stats.record(route.kind, 'lost');
    req.socket.destroy();
    return;
  }
  if (plan?.kind === 'malformed') reply = malformed(reply);
  if (plan?.kind === 'schemaDrift' && reply.json !== undefined && reply.status < 300)
    reply = { ...reply, status: 200, json: driftedBody(reply.json) };
  if (route.kind !== 'admin') sim.stats.record(route.kind, reply.status);
  send(res, reply);
}

/** True when the fault has taken over the request (socket reset, never answered, or an error reply). */
async function faultBeforeHandling(
  sim: Sim,
  route: Route,
  plan: FaultPlan,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  await sim.faults.waitWhileHeld(route.kind);
  if (plan.delayMs > 0) await sleep(plan.delayMs);
  switch (plan.kind) {
    case 'reset':
      sim.stats.record(route.kind, 'reset');
      req.socket.destroy();
      return true;
    case 'hang':
      sim.stats.record(route.kind, 'hang');
      if (plan.hangMs <= 0) return true;
      await sleep(plan.hangMs);
      return false;
    case 'error5xx':
      sim.stats.record(route.kind, 503);
      send(res, errorReply(new ApiError(503, `simulated fault: ${route.kind} is temporarily unavailable`)));
      return true;
    case 'rateLimit429':
      sim.stats.record(route.kind, 429);
      send(
        res,
        errorReply(
          new ApiError(429, `simulated fault: too many requests to ${route.kind}`, null, {
            'retry-after': plan.retryAfterS,
          }),
        ),
      );
      return true;
    default:
      return false;
  }
}

async function handle(sim: Sim, route: Route, req: IncomingMessage, url: URL, params: string[]): Promise<Reply> {
  try {
    const body = req.method === 'GET' || req.method === 'DELETE' ? Buffer.alloc(0) : await readBody(req);
    return await route.handler({ sim, req, url, params, body });
  } catch (error) {
    if (error instanceof ApiError) return errorReply(error, route.kind === 'token');
    if (req.destroyed) {
      // The client went away before its request was read (a killed worker, a timeout): nothing was changed.
      sim.log.info({ path: url.pathname }, 'client disconnected before the request was read');
    } else {
      sim.log.error({ err: error, path: url.pathname }, 'request failed');
    }
    return errorReply(new ApiError(500, `internal simulator error: ${(error as Error).message}`));
  }
}

function malformed(reply: Reply): Reply {
  const text = reply.raw !== undefined ? reply.raw.toString() : JSON.stringify(reply.json ?? {});
  return { status: 200, headers: { 'content-type': 'application/json' }, raw: malformedBody(text) };
}

function send(res: ServerResponse, reply: Reply): void {
  const body = reply.raw ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
  const headers: Record<string, string | number> = { 'content-type': 'application/json', ...reply.headers };
  headers['content-length'] = Buffer.byteLength(body);
  res.writeHead(reply.status, headers);
  res.end(body);
}
