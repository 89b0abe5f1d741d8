/** The per-token rate limit: 429 with Retry-After and the error envelope, counted in stats, one bucket per token. */
import { ACME, BLUE_FIELDS, call, getToken, startInProcess, type InProcessSimulator } from './support/simulator';

let sim: InProcessSimulator;
beforeAll(async () => {
  sim = await startInProcess({ items: 100, rateLimitPerToken: 3 });
});
afterAll(() => sim.close());

test('a burst over the limit is answered 429 with Retry-After; another token is not affected', async () => {
  const token = await getToken(sim.url, ACME);
  await sim.admin.clearStats();
  const replies = await Promise.all(
    Array.from({ length: 30 }, () => call(sim.url, 'GET', '/api/data/v0/stac/collections', { token })),
  );
  const limited = replies.filter((r) => r.status === 429);
  expect(limited.length).toBeGreaterThanOrEqual(15);
  expect(Number(limited[0].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  expect(limited[0].body.errors[0].message).toMatch(/rate limit/);
  const stats = await sim.admin.stats();
  expect(stats.rateLimited).toBe(limited.length);
  expect(stats.endpoints.stac_collections.statuses['429']).toBe(limited.length);

  const other = await getToken(sim.url, BLUE_FIELDS);
  expect((await call(sim.url, 'GET', '/api/data/v0/stac/collections', { token: other })).status).toBe(200);
});

test('the limit can be changed (and turned off) through the admin settings', async () => {
  await sim.admin.setSettings({ rateLimitPerToken: 0 });
  const token = await getToken(sim.url, ACME);
  const replies = await Promise.all(
    Array.from({ length: 20 }, () => call(sim.url, 'GET', '/api/data/v0/stac/collections', { token })),
  );
  expect(replies.every((r) => r.status === 200)).toBe(true);
  await sim.admin.setSettings({ rateLimitPerToken: 3 });
});
