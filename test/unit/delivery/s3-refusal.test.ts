/** Which failures of the bucket are final (the item fails with the store's reason) and which Temporal retries. */
import { S3ServiceException } from '@aws-sdk/client-s3';
import { s3Refusal } from '../../../src/activities/failures';

function storeError(name: string, status: number, message: string): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status < 500 ? 'client' : 'server',
    $metadata: { httpStatusCode: status },
    message,
  });
}

test('a missing bucket, a denied write or a bad key is final, with the store’s reason', () => {
  expect(s3Refusal(storeError('NoSuchBucket', 404, 'The specified bucket does not exist'))).toBe(
    'NoSuchBucket (HTTP 404): The specified bucket does not exist',
  );
  expect(s3Refusal(storeError('AccessDenied', 403, 'Access Denied'))).toBe('AccessDenied (HTTP 403): Access Denied');
  const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
    name: 'CredentialsProviderError',
  });
  expect(s3Refusal(noCredentials)).toBe('no S3 credentials: Could not load credentials from any providers');
});

test('a store that is down, slow or throttling is retried, as is anything that is not the store’s answer', () => {
  expect(s3Refusal(storeError('InternalError', 500, 'We encountered an internal error'))).toBeNull();
  expect(s3Refusal(storeError('SlowDown', 503, 'Reduce your request rate'))).toBeNull();
  expect(s3Refusal(storeError('RequestTimeout', 408, 'timeout'))).toBeNull();
  // What S3 itself answers an upload whose socket sat idle too long: HTTP 400, code RequestTimeout.
  const slow = 'Your socket connection to the server was not read from or written to within the timeout period.';
  expect(s3Refusal(storeError('RequestTimeout', 400, slow))).toBeNull();
  expect(s3Refusal(storeError('TooManyRequests', 429, 'slow down'))).toBeNull();
  expect(s3Refusal(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBeNull();
  expect(s3Refusal('not an error')).toBeNull();
});
