/**
 * The POST of one notification, run in the SDK's MockActivityEnvironment against a receiver on loopback: only the
 * receiver's own 2xx delivers an event. A redirect is not followed (a 301 would turn the POST into a GET without the
 * event, and that GET's 200 counted as delivered), and fails the attempt saying where it pointed.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createNotifyActivities } from '../../../src/activities/notify';
import type { NotificationBody } from '../../../src/shared/notification-types';

const requests: string[] = [];
const server = http.createServer((req, res) => {
  requests.push(`${req.method} ${req.url}`);
  req.resume();
  if (req.url === '/moved') res.writeHead(301, { location: '/landing' });
  else res.writeHead(200);
  res.end('ok');
});
let base: string;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => requests.splice(0));

const body = {
  eventId: 'notify/p-1/purchase_ended',
  type: 'purchase_ended',
  occurredAt: '2026-12-07T00:00:00.000Z',
  purchaseId: 'p-1',
  facts: {},
} as unknown as NotificationBody;
const { postNotification } = createNotifyActivities({ notify: { secret: 'notify-secret-for-the-tests-0123' } });
const post = (url: string) => new MockActivityEnvironment().run(() => postNotification({ body, url }));

test("the receiver's 2xx delivers the event", async () => {
  await post(`${base}/events`);
  expect(requests).toEqual(['POST /events']);
});

test('a redirect fails the attempt, naming where it points, and is not followed', async () => {
  await expect(post(`${base}/moved`)).rejects.toThrow('the receiver redirected (HTTP 301 to /landing)');
  expect(requests).toEqual(['POST /moved']);
});
