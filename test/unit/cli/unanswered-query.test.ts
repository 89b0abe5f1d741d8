import { ServiceError } from '@temporalio/client';
import { isUnansweredQuery } from '../../../src/cli/worker-wait';

/** The shape grpc-js gives a failed call: an Error with a status code, details and metadata. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

test('a query the server refused because no worker polled recently counts as unanswered, as the client wraps it', () => {
  const refused = grpcError(9, 'no poller seen for task queue recently, worker may be down');
  expect(isUnansweredQuery(new ServiceError('Failed to query Workflow', { cause: refused }))).toBe(true);
});

test('a query that ran out of time counts as unanswered, also when gRPC reports it cancelled', () => {
  expect(
    isUnansweredQuery(new ServiceError('Failed to query Workflow', { cause: grpcError(1, 'Call cancelled') })),
  ).toBe(true);
  expect(isUnansweredQuery(new ServiceError('Failed to query Workflow', { cause: grpcError(4, 'deadline') }))).toBe(
    true,
  );
});

test('other failures are not a missing worker', () => {
  expect(isUnansweredQuery(new ServiceError('Failed to query Workflow', { cause: grpcError(14, 'unavailable') }))).toBe(
    false,
  );
  expect(isUnansweredQuery(new Error('something else'))).toBe(false);
});
