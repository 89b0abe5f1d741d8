import { groupPurchaseInput } from '../../../src/shared/batch-groups';
import type { BatchInput } from '../../../src/shared/batch-types';
import { batchInputProblems } from '../../../src/shared/batch-validation';
import {
  deadlineNearMs,
  notificationId,
  notificationPrefix,
  notifyUrlProblems,
} from '../../../src/shared/notification-types';
import { purchaseInputProblems } from '../../../src/shared/purchase-validation';
import { loadSettings, settingsEnvironment } from '../../../src/config/settings';

const ITEM = { collection: 'c', item: 'i', level: 'L1C' };

test('event ids: notify/<id>/<type>[-<n>], under the prefix dcp status lists', () => {
  expect(notificationId('p-1', 'purchase_ended')).toBe('notify/p-1/purchase_ended');
  expect(notificationId('b/3', 'needs_attention', '0.2')).toBe('notify/b/3/needs_attention-0.2');
  expect(notificationId('b', 'batch_ended').startsWith(notificationPrefix('b'))).toBe(true);
  // A batch's prefix covers its purchases' events (BATCH/n), a purchase's only its own.
  expect(notificationId('b/3', 'purchase_ended').startsWith(notificationPrefix('b'))).toBe(true);
  expect(notificationId('p-10', 'purchase_ended').startsWith(notificationPrefix('p-1'))).toBe(false);
});

test('the deadline is near a day before it, or half a window shorter than two days', () => {
  expect(deadlineNearMs(72 * 3600_000)).toBe(24 * 3600_000);
  expect(deadlineNearMs(48 * 3600_000)).toBe(24 * 3600_000);
  expect(deadlineNearMs(8 * 3600_000)).toBe(4 * 3600_000);
  expect(deadlineNearMs(3_000)).toBe(1_500);
});

test('notify URLs are http(s), at most five, checked in purchase and batch input alike', () => {
  expect(notifyUrlProblems(undefined)).toEqual([]);
  expect(notifyUrlProblems(['https://hooks.example.com/dcp', 'http://127.0.0.1:8789'])).toEqual([]);
  expect(notifyUrlProblems(['ftp://x', 'hooks.example.com', 'https:// spaced'])).toEqual([
    'notify URL "ftp://x" is not an http(s) URL',
    'notify URL "hooks.example.com" is not an http(s) URL',
    'notify URL "https:// spaced" is not an http(s) URL',
  ]);
  expect(notifyUrlProblems(Array.from({ length: 6 }, (_, i) => `https://h${i}.example`))).toEqual([
    'at most 5 notify URLs, not 6',
  ]);
  expect(purchaseInputProblems({ purchaseId: 'p', items: [ITEM], notify: ['x'] })).toEqual([
    'notify: notify URL "x" is not an http(s) URL',
  ]);
  const batch: BatchInput = { batchId: 'b', items: [ITEM], budget: '10', notify: ['x'] };
  expect(batchInputProblems(batch)).toEqual(['notify URL "x" is not an http(s) URL']);
});

test("a batch's notify URLs go to each of its purchases; without them the purchase input is as before", () => {
  const group = [{ ...ITEM, price: '5', currency: 'EUR' }];
  const contract = { contractId: 5, currency: 'EUR' };
  const batch: BatchInput = { batchId: 'b', items: [ITEM], budget: '10' };
  expect(groupPurchaseInput(batch, contract, 'b/0', group)).not.toHaveProperty('notify');
  const notify = ['https://hooks.example.com/dcp'];
  expect(groupPurchaseInput({ ...batch, notify }, contract, 'b/0', group).notify).toEqual(notify);
});

test('NOTIFY_URL needs NOTIFY_SECRET, of at least 16 characters; both reach the worker settings and back', () => {
  const production = {
    DATACOSMOS_CLIENT_ID: 'id',
    DATACOSMOS_CLIENT_SECRET: 'secret',
    DATACOSMOS_ORGANISATION_ID: '42',
  };
  expect(() => loadSettings({ ...production, NOTIFY_URL: 'https://hooks.example.com/dcp' }, '/')).toThrow(
    'invalid configuration: NOTIFY_SECRET is required with NOTIFY_URL',
  );
  expect(() => loadSettings({ ...production, NOTIFY_SECRET: 'short' }, '/')).toThrow(
    'NOTIFY_SECRET must be at least 16 characters',
  );
  const env = { ...production, NOTIFY_URL: 'https://hooks.example.com/dcp', NOTIFY_SECRET: 'a-secret-of-16-chars' };
  const settings = loadSettings(env, '/');
  expect(settings.worker).toMatchObject({ notifyUrl: env.NOTIFY_URL, notifySecret: env.NOTIFY_SECRET });
  expect(settingsEnvironment(settings)).toMatchObject({ NOTIFY_URL: env.NOTIFY_URL, NOTIFY_SECRET: env.NOTIFY_SECRET });
});
