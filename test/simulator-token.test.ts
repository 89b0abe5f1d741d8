/** OAuth client credentials: good and bad credentials, audience, expiry, and tokens surviving a restart. */
import { setTimeout as sleep } from 'node:timers/promises';
import { AUDIENCE } from '../src/datacosmos/api-paths';
import { ACME, call, getToken, spawnSimulator, startInProcess, type InProcessSimulator } from '../harness/simulator';

let sim: InProcessSimulator;
beforeAll(async () => {
  sim = await startInProcess({ items: 200, tokenLifetimeS: 1 });
});
afterAll(() => sim.close());

const policies = `/api/data/v1/dpap/organisations/${ACME.organisation}/policies`;
const tokenBody = (overrides: Record<string, string>) => ({
  grant_type: 'client_credentials',
  client_id: ACME.clientId,
  client_secret: ACME.clientSecret,
  audience: AUDIENCE,
  ...overrides,
});

test('good credentials (JSON or form) give a bearer token that the API accepts', async () => {
  const json = await call(sim.url, 'POST', '/oauth/token', { body: tokenBody({}) });
  expect(json.status).toBe(200);
  expect(json.body).toMatchObject({ token_type: 'Bearer', expires_in: 1 });
  expect(typeof json.body.scope).toBe('string');
  const form = await call(sim.url, 'POST', '/oauth/token', {
    body: new URLSearchParams(tokenBody({})).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  expect(form.status).toBe(200);
  expect((await call(sim.url, 'GET', policies, { token: form.body.access_token })).status).toBe(200);
});

test('a wrong secret or unknown client is 401, a wrong audience 403', async () => {
  const wrongSecret = await call(sim.url, 'POST', '/oauth/token', { body: tokenBody({ client_secret: 'nope' }) });
  expect(wrongSecret.status).toBe(401);
  expect(wrongSecret.body.errors[0].message).toMatch(/client secret/);
  expect(wrongSecret.text).not.toContain(ACME.clientSecret);
  expect((await call(sim.url, 'POST', '/oauth/token', { body: tokenBody({ client_id: 'ghost' }) })).status).toBe(401);
  const audience = await call(sim.url, 'POST', '/oauth/token', { body: tokenBody({ audience: 'https://elsewhere' }) });
  expect(audience.status).toBe(403);
  expect(audience.body.errors[0].message).toMatch(/audience/);
});

test('missing, invalid and expired bearer tokens are 401 saying which', async () => {
  const missing = await call(sim.url, 'GET', policies);
  expect(missing.status).toBe(401);
  expect(missing.body.errors[0].message).toMatch(/missing/);
  const token = await getToken(sim.url, ACME);
  const forged = `${token.split('.')[0]}.AAAA`;
  const invalid = await call(sim.url, 'GET', policies, { token: forged });
  expect(invalid.status).toBe(401);
  expect(invalid.body.errors[0].message).toMatch(/invalid/);
  await sleep(2100);
  const expired = await call(sim.url, 'GET', policies, { token });
  expect(expired.status).toBe(401);
  expect(expired.body.errors[0].message).toMatch(/expired/);
});

test('a token stays valid across a restart on the same data dir', async () => {
  const proc = await spawnSimulator({ args: ['--items', '100'] });
  const token = await getToken(proc.url, ACME);
  await proc.stop();
  const restarted = await proc.restart();
  try {
    expect((await call(restarted.url, 'GET', policies, { token })).status).toBe(200);
  } finally {
    await restarted.stop();
  }
});
