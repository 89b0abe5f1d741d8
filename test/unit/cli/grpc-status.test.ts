import { ServiceError } from '@temporalio/client';
import { GrpcStatus, hasGrpcStatus } from '../../../src/workflow-client/grpc-status';

/** The shape grpc-js gives a failed call: an Error with a status code, details and metadata. */
function grpcError(code: number, details: string): Error {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
}

test('a status code is found on the error or on any error it was caused by', () => {
  const notFound = grpcError(GrpcStatus.NOT_FOUND, 'worker deployment not found');
  expect(hasGrpcStatus(notFound, GrpcStatus.NOT_FOUND)).toBe(true);
  expect(hasGrpcStatus(new ServiceError('Failed', { cause: notFound }), GrpcStatus.NOT_FOUND)).toBe(true);
  expect(hasGrpcStatus(new ServiceError('Failed', { cause: notFound }), GrpcStatus.CANCELLED)).toBe(false);
});

test('a code on something that is not a gRPC service error does not count', () => {
  expect(hasGrpcStatus(Object.assign(new Error('5'), { code: 5 }), GrpcStatus.NOT_FOUND)).toBe(false);
  expect(hasGrpcStatus('NOT_FOUND', GrpcStatus.NOT_FOUND)).toBe(false);
});
