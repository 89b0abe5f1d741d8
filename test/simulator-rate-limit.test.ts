/** The rate limit: 429 with Retry-After and the error envelope, counted in stats, one bucket per token or per client. */
import { ACME, BLUE_FIELDS, call, getToken, startInProcess, type InProcessSimulator } from '../harness/simulator';

let sim: InProcessSimulator;
beforeAll(async () => {
  sim = await startInProcess({ items: 100, rateLimit: 3 });
});
afterAll(() => sim.close());

const collections = (token: string) => call(sim.url, 'GET', '/api/data/v0/stac/collections', { token });

/** Statuses of `count` requests sent at once, spread round-robin over the tokens. */
async function burst(tokens: string[], count: number): Promise<number[]> {
  const replies = await Promise.all(Array.from({ length: count }, (_, i) => collections(tokens[i % tokens.length])));
  return replies.map((r) => r.status);
}

test('a burst over the limit is answered 429 with Retry-After; another token is not affected', async () => {
  const token = await getToken(sim.url, ACME);
  await sim.admin.clearStats();
  const replies = await Promise.all(Array.from({ length: 30 }, () => collections(token)));
  const limited = replies.filter((r) => r.status === 429);
  expect(limited.length).toBeGreaterThanOrEqual(15);
  expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(limited[0].body.errors[0].message).toMatch(/rate limit of 3 requests\/s per token/);
  const stats = await sim.admin.stats();
  expect(stats.rateLimited).toBe(limited.length);
  expect(stats.endpoints.stac_collections.statuses['429']).toBe(limited.length);

  const other = await getToken(sim.url, BLUE_FIELDS);
  expect((await collections(other)).status).toBe(200);
});

test('per token, two tokens of one client have a bucket each; per client, they share one', async () => {
  const tokens = [await getToken(sim.url, ACME), await getToken(sim.url, ACME)];
  expect(tokens[0]).not.toBe(tokens[1]);
  await sim.admin.setSettings({ rateLimit: 3, rateLimitScope: 'token' });
  expect((await burst(tokens, 6)).filter((s) => s === 200)).toHaveLength(6);

  await sim.admin.setSettings({ rateLimitScope: 'client' });
  const statuses = await burst(tokens, 6);
  expect(statuses.filter((s) => s === 200)).toHaveLength(3);
  const token = tokens[0];
  const reply = await collections(token);
  expect(reply.status).toBe(429);
  expect(reply.body.errors[0].message).toMatch(/per client/);
  // Another client is not affected.
  expect((await collections(await getToken(sim.url, BLUE_FIELDS))).status).toBe(200);
  await sim.admin.setSettings({ rateLimitScope: 'token' });
});

test('the limit can be changed (and turned off) through the admin settings', async () => {
  await sim.admin.setSettings({ rateLimit: 0 });
  const token = await getToken(sim.url, ACME);
  expect((await burst([token], 20)).every((s) => s === 200)).toBe(true);
  await sim.admin.setSettings({ rateLimit: 3 });
});
