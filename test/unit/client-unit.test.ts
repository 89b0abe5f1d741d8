/** Pure parts of the DataCosmos client: status classification, Retry-After, backoff, retry policy, links. */
import { backoffDelayMs, sleep } from '../../src/datacosmos/backoff';
import { responseError, transportError, type Exchange } from '../../src/datacosmos/classify';
import { checkoutLink, classifyStatus, DataCosmosError, parseRetryAfter } from '../../src/datacosmos';
import { followCursors } from '../../src/datacosmos/pagination';
import { withRetry } from '../../src/datacosmos/retry';
import { formatPath, parseReply } from '../../src/datacosmos/schema-check';
import { toSearchPage } from '../../src/datacosmos/search-page';
import { CreatedOrderReply, Order, OrderResponse, StacItemCollection } from '../../src/datacosmos/api-schemas';

const GET_ORDER: Exchange = { endpoint: 'order_get', method: 'GET', unsafeToRepeat: false };
const CREATE: Exchange = { endpoint: 'order_create', method: 'POST', unsafeToRepeat: true };

describe('classifyStatus', () => {
  it.each([
    [400, 'http', false],
    [401, 'auth', false],
    [402, 'http', false],
    [403, 'http', false],
    [404, 'http', false],
    [408, 'http', true],
    [409, 'http', false],
    [429, 'rate_limited', true],
    [500, 'http', true],
    [502, 'http', true],
    [503, 'http', true],
  ])('%i -> %s, retryable %s', (status, kind, retryable) => {
    expect(classifyStatus(status)).toEqual({ kind, retryable });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delay seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });
  it('reads an HTTP date relative to now, and a past date as 0', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores absent and unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  const policy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
  it('grows exponentially up to the cap, with full jitter from 0', () => {
    const highest = [1, 2, 3, 4, 5, 8].map((n) => backoffDelayMs(n, policy, () => 0.999999));
    expect(highest).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
  });
  it('stays within [0, cap] for random draws', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(1000, 100 * 2 ** (attempt - 1));
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelayMs(attempt, policy);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});

describe('sleep', () => {
  it('rejects with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const sleeping = sleep(60_000, controller.signal);
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
  });
});

describe('withRetry', () => {
  const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 };
  const failure = (fields: Partial<ConstructorParameters<typeof DataCosmosError>[1]>) =>
    new DataCosmosError('x', { kind: 'http', endpoint: 'order_get', method: 'GET', retryable: true, ...fields });

  it('retries retryable errors up to maxAttempts', async () => {
    const attempts: number[] = [];
    const call = withRetry(fast, undefined, async (n) => {
      attempts.push(n);
      throw failure({ status: 503 });
    });
    await expect(call).rejects.toMatchObject({ status: 503 });
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('returns the first success', async () => {
    const attempts: number[] = [];
    const call = withRetry(fast, undefined, async (n) => {
      attempts.push(n);
      if (n < 2) throw failure({});
      return 'ok';
    });
    await expect(call).resolves.toBe('ok');
    expect(attempts).toEqual([1, 2]);
  });

  it.each([
    ['not retryable', failure({ retryable: false })],
    ['outcome unknown', failure({ kind: 'outcome_unknown' })],
    ['Retry-After beyond maxDelayMs', failure({ kind: 'rate_limited', retryAfterMs: 60_000 })],
    ['not a DataCosmosError', new TypeError('bug')],
  ])('does not retry: %s', async (_, error) => {
    const attempts: number[] = [];
    const call = withRetry(fast, undefined, async (n) => {
      attempts.push(n);
      throw error;
    });
    await expect(call).rejects.toBe(error);
    expect(attempts).toEqual([1]);
  });

  it('makes a single attempt when retry is false', async () => {
    const attempts: number[] = [];
    const call = withRetry(false, undefined, async (n) => {
      attempts.push(n);
      throw failure({});
    });
    await expect(call).rejects.toThrow();
    expect(attempts).toEqual([1]);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled');
    const slow = { maxAttempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 };
    const call = withRetry(slow, controller.signal, async () => {
      setImmediate(() => controller.abort(reason));
      throw failure({ retryAfterMs: 60_000 });
    });
    await expect(call).rejects.toBe(reason);
  });
});

describe('responseError', () => {
  const envelope = JSON.stringify({ errors: [{ message: 'order not found', trace_id: 't-1' }] });

  it('makes one line with the API message and trace id', () => {
    const error = responseError(CREATE, 409, envelope, undefined);
    expect(error.message).toBe('order_create POST failed (409): order not found');
    expect(error).toMatchObject({
      kind: 'http',
      status: 409,
      retryable: false,
      apiMessages: ['order not found'],
      traceId: 't-1',
    });
  });

  it('says so when an endpoint whose path is an assumption answers 404 or 405, naming the variable', () => {
    const error = responseError(GET_ORDER, 404, envelope, undefined);
    expect(error).toMatchObject({ kind: 'unsupported', status: 404, retryable: false });
    expect(error.message).toBe(
      'order_get GET failed (404): order not found; the path is an assumption: set DATACOSMOS_ORDER_GET_PATH if your API serves order details elsewhere',
    );
    const list = { endpoint: 'order_list', method: 'GET', unsafeToRepeat: false } as const;
    expect(responseError(list, 405, '', undefined)).toMatchObject({ kind: 'unsupported', retryable: false });
    const batch = { endpoint: 'price_batch', method: 'POST', unsafeToRepeat: false } as const;
    expect(responseError(batch, 404, '', undefined).message).toMatch(/DATACOSMOS_PRICING=v0/);
    // A documented endpoint's 404 is the API's answer, not a doubt about its path.
    expect(responseError(CREATE, 404, envelope, undefined).kind).toBe('http');
  });

  it('falls back to the status text when the body is not the envelope', () => {
    expect(responseError(GET_ORDER, 502, '<html>bad gateway</html>', undefined).message).toBe(
      'order_get GET failed (502): Bad Gateway',
    );
  });

  it('reads Retry-After on 429', () => {
    expect(responseError(GET_ORDER, 429, envelope, '3')).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
  });

  it('treats OAuth errors of the token endpoint as auth', () => {
    const body = JSON.stringify({ error: 'access_denied', error_description: 'Unauthorized' });
    const error = responseError({ endpoint: 'token', method: 'POST', unsafeToRepeat: false }, 403, body, undefined);
    expect(error).toMatchObject({ kind: 'auth', retryable: false, apiMessages: ['Unauthorized'] });
  });

  it('leaves the outcome of a create unknown on any 5xx, the API envelope too; a 4xx refusal is known', () => {
    expect(responseError(CREATE, 502, '', undefined)).toMatchObject({ kind: 'outcome_unknown', retryable: true });
    // The API may fail after it made the order: its own error body proves nothing.
    expect(responseError(CREATE, 503, envelope, undefined)).toMatchObject({ kind: 'outcome_unknown', retryable: true });
    expect(responseError(CREATE, 400, envelope, undefined)).toMatchObject({ kind: 'http', retryable: false });
  });
});

describe('transportError', () => {
  const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
  const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

  it('classifies resets and timeouts as retryable', () => {
    expect(transportError(GET_ORDER, reset, undefined)).toMatchObject({ kind: 'network', retryable: true });
    const timeout = transportError(GET_ORDER, new Error('aborted'), 250);
    expect(timeout).toMatchObject({ kind: 'timeout', retryable: true });
    expect(timeout.message).toBe('order_get GET failed (timeout): no complete reply within 250 ms');
  });

  it('makes a create outcome unknown unless the request never left', () => {
    expect(transportError(CREATE, reset, undefined).kind).toBe('outcome_unknown');
    expect(transportError(CREATE, new Error('aborted'), 250).kind).toBe('outcome_unknown');
    expect(transportError(CREATE, refused, undefined).kind).toBe('network');
  });
});

describe('parseReply', () => {
  const order = {
    id: 'o-1',
    type: 'IMAGE',
    organisation_id: 1001,
    contract_id: 5001,
    status: 'PAID',
    order_line_items: [{ collection: 'c', item: 'i', level: 'L1C' }],
    created_at: '2025-01-01T00:00:00Z',
  };

  it('names the endpoint and the JSON path of what a decision needs and the reply lacks', () => {
    const { status: _status, ...noStatus } = order;
    expect(() => parseReply(GET_ORDER, OrderResponse, JSON.stringify({ data: noStatus, errors: [] }))).toThrow(
      expect.objectContaining({
        kind: 'schema',
        retryable: false,
        schemaPath: 'data.status',
        message: expect.stringMatching(/^order_get: response data\.status: /),
      }),
    );
    // Anything else may be missing or of another shape: it reads as absent.
    const odd = { ...order, status: 'SHIPPED', order_line_items: [{ collection: 'c', item: 7, level: 'L1C' }] };
    const read = parseReply(GET_ORDER, OrderResponse, JSON.stringify({ data: odd }));
    expect(read.data).toMatchObject({ status: 'SHIPPED', order_line_items: [{ collection: 'c', item: undefined }] });
  });

  it('rejects a body that is not JSON as a schema error', () => {
    expect(() => parseReply(GET_ORDER, OrderResponse, '{"data":')).toThrow(
      expect.objectContaining({
        kind: 'schema',
        retryable: false,
        message: expect.stringMatching(/^order_get: response is not JSON/),
      }),
    );
  });

  it('makes a create reply that names no order outcome unknown: the order may exist', () => {
    expect(() => parseReply(CREATE, CreatedOrderReply, 'oops')).toThrow(
      expect.objectContaining({ kind: 'outcome_unknown', retryable: true }),
    );
    expect(() => parseReply(CREATE, CreatedOrderReply, '{"data":{}}')).toThrow(
      expect.objectContaining({ kind: 'outcome_unknown', schemaPath: 'data.id' }),
    );
  });

  it('formats paths', () => {
    expect(formatPath([])).toBe('');
    expect(formatPath(['features', 3, 'properties', 'datetime'])).toBe('features[3].properties.datetime');
  });
});

describe('checkoutLink', () => {
  const base = Order.parse({
    id: 'o-1',
    type: 'IMAGE',
    organisation_id: 1,
    contract_id: 2,
    status: 'UNPAID',
    order_line_items: [],
    created_at: '2025-01-01T00:00:00Z',
  });
  it('prefers checkout_url, falls back to checkout_redirect_url, reads "" as none', () => {
    const both = { ...base, checkout_url: 'https://pay/a', checkout_redirect_url: 'https://pay/b' };
    expect(checkoutLink(both)).toBe('https://pay/a');
    expect(checkoutLink({ ...base, checkout_url: '', checkout_redirect_url: 'https://pay/b' })).toBe('https://pay/b');
    expect(checkoutLink({ ...base, checkout_url: '', checkout_redirect_url: '' })).toBeNull();
    expect(checkoutLink(base)).toBeNull();
  });
});

describe('toSearchPage', () => {
  const page = (links: unknown[]) =>
    StacItemCollection.parse({ type: 'FeatureCollection', features: [], links, numberMatched: 12 });
  it('takes the cursor from the next link body, else from its href', () => {
    const postNext = { rel: 'next', href: '/search', method: 'POST', body: { cursor: 'b2' } };
    expect(toSearchPage(page([postNext])).nextCursor).toBe('b2');
    expect(toSearchPage(page([{ rel: 'next', href: 'https://x/search?limit=5&cursor=h3' }])).nextCursor).toBe('h3');
    const last = toSearchPage(page([{ rel: 'self', href: '/search' }]));
    expect(last).toEqual({ items: [], nextCursor: null, matched: 12 });
  });
});

describe('followCursors', () => {
  const NO_WAIT = { maxAttempts: 3, baseDelayMs: 0, maxDelayMs: 1000 };
  const rateLimited = () =>
    new DataCosmosError('order_list: 429', {
      kind: 'rate_limited',
      endpoint: 'order_list',
      method: 'GET',
      retryable: true,
      retryAfterMs: 0,
    });
  /** Three pages, c1 then c2; `failures[cursor]` rate-limited replies before a page answers. */
  function pagesWith(failures: Record<string, number>) {
    const calls: string[] = [];
    const fetchPage = async (cursor: string | undefined) => {
      const at = cursor ?? 'first';
      calls.push(at);
      if ((failures[at] ?? 0) > 0) {
        failures[at]--;
        throw rateLimited();
      }
      return { page: at, nextCursor: at === 'first' ? 'c1' : at === 'c1' ? 'c2' : null };
    };
    return { calls, fetchPage };
  }
  async function readAll(fetchPage: Parameters<typeof followCursors>[2], retry: typeof NO_WAIT | false) {
    const pages: unknown[] = [];
    for await (const page of followCursors('order_list', 'GET', fetchPage, { retry })) pages.push(page);
    return pages;
  }

  it('retries a rate-limited later page in place instead of starting over', async () => {
    const { calls, fetchPage } = pagesWith({ c1: 2 });
    expect(await readAll(fetchPage, NO_WAIT)).toHaveLength(3);
    expect(calls).toEqual(['first', 'c1', 'c1', 'c1', 'c2']);
  });

  it('leaves the first page to the caller, and gives up on a later page when its retries run out', async () => {
    await expect(readAll(pagesWith({ first: 1 }).fetchPage, NO_WAIT)).rejects.toMatchObject({ kind: 'rate_limited' });
    const { calls, fetchPage } = pagesWith({ c2: 5 });
    await expect(readAll(fetchPage, NO_WAIT)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(calls).toEqual(['first', 'c1', 'c2', 'c2', 'c2']);
    await expect(readAll(pagesWith({ c1: 1 }).fetchPage, false)).rejects.toMatchObject({ kind: 'rate_limited' });
  });
});
