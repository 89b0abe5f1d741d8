/** Storage downloads: only items of the caller's PAID orders (else 403), byte ranges (206), bad ranges (416). */
import { checkout, createOrder, findItems } from './support/orders';
import { ACME, BLUE_FIELDS, call, getToken, startInProcess, type InProcessSimulator } from '../harness/simulator';

let sim: InProcessSimulator;
let acme: string;
let href: string;
let size: number;
beforeAll(async () => {
  sim = await startInProcess({ items: 300 });
  acme = await getToken(sim.url, ACME);
  const [item] = await findItems(sim.url, acme, ACME.contract, 1);
  const stac = await call(sim.url, 'GET', `/api/data/v0/stac/collections/${item.collection}/items/${item.item}`, {
    token: acme,
  });
  href = stac.body.assets.visual.href.slice(sim.url.length);
  size = stac.body.assets.visual['file:size'];
  const order = await createOrder(sim.url, acme, ACME.organisation, ACME.contract, [item]);
  expect((await call(sim.url, 'GET', href, { token: acme })).status).toBe(403);
  await checkout(sim.url, acme, order.id);
});
afterAll(() => sim.close());

async function bytes(headers: Record<string, string> = {}, token = acme) {
  const res = await fetch(`${sim.url}${href}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  return { res, body: Buffer.from(await res.arrayBuffer()) };
}

test('a paid item downloads whole, and its ranges are slices of the same bytes', async () => {
  const whole = await bytes();
  expect(whole.res.status).toBe(200);
  expect(whole.body.length).toBe(size);
  expect(whole.body.subarray(0, 4)).toEqual(Buffer.from([0x49, 0x49, 0x2a, 0x00]));
  const middle = await bytes({ range: 'bytes=100-1099' });
  expect(middle.res.status).toBe(206);
  expect(middle.res.headers.get('content-range')).toBe(`bytes 100-1099/${size}`);
  expect(middle.body).toEqual(whole.body.subarray(100, 1100));
  const tail = await bytes({ range: `bytes=${size - 10}-` });
  expect(tail.body).toEqual(whole.body.subarray(size - 10));
  const suffix = await bytes({ range: 'bytes=-16' });
  expect(suffix.body).toEqual(whole.body.subarray(size - 16));
  expect((await bytes()).body).toEqual(whole.body);
});

test.each([`bytes=${1e9}-`, 'bytes=500-100', 'items=0-10', 'bytes=abc'])('range %s is 416', async (range) => {
  const { res } = await bytes({ range });
  expect(res.status).toBe(416);
  expect(res.headers.get('content-range')).toBe(`bytes */${size}`);
});

test('another organisation, no token, or an unknown file is refused', async () => {
  const blue = await getToken(sim.url, BLUE_FIELDS);
  expect((await bytes({}, blue)).res.status).toBe(403);
  expect((await call(sim.url, 'GET', href)).status).toBe(401);
  expect((await call(sim.url, 'GET', `${href}.bak`, { token: acme })).status).toBe(404);
});
