/** Delivery to a bucket, the pure parts: `s3://` URLs and endpoints as `dcp` reads them, and where objects go. */
import { deliverOptions } from '../../../src/cli/deliver-option';
import { CliError, ExitCode } from '../../../src/shared/errors';
import { checkEndpoint, manifestKey, objectKey, parseS3Url, s3Url } from '../../../src/shared/s3-destination';
import { parseOnly } from '../../support/parse-only';

test('s3://BUCKET and s3://BUCKET/PREFIX: the prefix without slashes at its ends', () => {
  expect(parseS3Url('s3://imagery')).toEqual({ bucket: 'imagery', prefix: '' });
  expect(parseS3Url('s3://imagery/')).toEqual({ bucket: 'imagery', prefix: '' });
  expect(parseS3Url('s3://my.bucket-1/deliveries/2026/')).toEqual({ bucket: 'my.bucket-1', prefix: 'deliveries/2026' });
});

test.each([
  ['s3:/imagery', 'must be s3://BUCKET or s3://BUCKET/PREFIX'],
  ['s3://', 'bucket "" must be 3 to 63 characters'],
  ['s3://ab', 'bucket "ab" must be 3 to 63 characters'],
  ['s3://Imagery/x', 'bucket "Imagery" may hold only lower-case letters'],
  ['s3://-imagery', 'start and end with a letter or digit'],
  ['s3://a..b', 'bucket "a..b" is not a valid bucket name'],
  ['s3://10.0.0.1', 'bucket "10.0.0.1" is not a valid bucket name'],
  ['s3://imagery//x', 'prefix "/x" has an empty, "." or ".." segment'],
  ['s3://imagery/a/../b', 'prefix "a/../b" has an empty, "." or ".." segment'],
  ['s3://imagery/a\tb', 'prefix "a\tb" holds a control character or a backslash'],
  [`s3://imagery/${'p'.repeat(513)}`, 'is over 512 characters'],
])('%s is refused: %s', (text, problem) => {
  expect(() => parseS3Url(text)).toThrow(problem);
});

test('an endpoint is an http(s) URL without query, kept without a trailing slash', () => {
  expect(checkEndpoint('http://127.0.0.1:9000/')).toBe('http://127.0.0.1:9000');
  expect(checkEndpoint('https://storage.googleapis.com')).toBe('https://storage.googleapis.com');
  for (const bad of ['ftp://x', '127.0.0.1:9000', 'http://x/?a=1', '']) {
    expect(() => checkEndpoint(bad)).toThrow('must be an http(s) URL');
  }
});

test('dcp refuses a bad bucket URL or endpoint in one line, as a usage error (exit 2)', async () => {
  for (const args of [
    ['buy', '--item', 'c/i', '--deliver', 's3://Bad_Bucket/x'],
    ['batch', '--items', 'f', '--budget', '10', '--deliver', 's3://ab'],
    ['schedule', 'create', '--search', 'f', '--every', '1d', '--budget-per-run', '10', '--deliver', 's3:/x'],
    ['buy', '--item', 'c/i', '--deliver', 's3://imagery', '--deliver-endpoint', 'ftp://x'],
  ]) {
    const parsed = await parseOnly(args);
    expect(parsed.error?.code).toBe('commander.invalidArgument');
    expect(parsed.stderr.trim().split('\n')).toHaveLength(1);
    expect(parsed.stderr).toMatch(/option '--deliver(-endpoint)? <[^>]+>' argument '.*' is invalid\. (bucket|must)/);
  }
  const good = await parseOnly([
    'buy',
    '--item',
    'c/i',
    '--deliver',
    's3://imagery/in',
    '--deliver-endpoint',
    'http://s3:9000',
  ]);
  expect(good.error).toBeUndefined();
  expect(good.command?.opts()).toMatchObject({ deliver: 's3://imagery/in', deliverEndpoint: 'http://s3:9000' });
});

test('--deliver becomes a directory or a bucket; --deliver-endpoint without a bucket is a usage error', () => {
  expect(deliverOptions({})).toBeUndefined();
  expect(deliverOptions({ deliver: 'out' })).toEqual({ dir: expect.stringMatching(/\/out$/) });
  expect(deliverOptions({ deliver: 's3://imagery/in', deliverEndpoint: 'http://s3:9000' })).toEqual({
    s3: { bucket: 'imagery', prefix: 'in', endpoint: 'http://s3:9000' },
  });
  for (const options of [
    { deliverEndpoint: 'http://s3:9000' },
    { deliver: 'out', deliverEndpoint: 'http://s3:9000' },
  ]) {
    expect(() => deliverOptions(options)).toThrow(
      new CliError('--deliver-endpoint goes with --deliver s3://BUCKET/PREFIX', ExitCode.USAGE),
    );
  }
});

test('objects go to PREFIX/ORDER_ID/COLLECTION/ITEM/ASSET, the manifest to PREFIX/ORDER_ID/manifest.json', () => {
  const line = { orderId: 'ord-7', collection: 'menut-l1c-cogs', item: 'scene-1' };
  expect(objectKey('deliveries/2026', line, 'scene-1_visual.tif')).toBe(
    'deliveries/2026/ord-7/menut-l1c-cogs/scene-1/scene-1_visual.tif',
  );
  expect(objectKey('', line, 'a.png')).toBe('ord-7/menut-l1c-cogs/scene-1/a.png');
  expect(objectKey('p', { collection: 'c', item: 'i' }, 'a.png')).toBe('p/unknown-order/c/i/a.png');
  expect(manifestKey('deliveries/2026', 'ord-7')).toBe('deliveries/2026/ord-7/manifest.json');
  expect(manifestKey('', 'ord-7')).toBe('ord-7/manifest.json');
  expect(s3Url('imagery', 'ord-7/manifest.json')).toBe('s3://imagery/ord-7/manifest.json');
});
