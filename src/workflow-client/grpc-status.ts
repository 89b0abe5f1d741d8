/** The gRPC status codes the CLI tells apart in Temporal's answers, wherever in an error's cause chain they sit. */
import { isGrpcServiceError } from '@temporalio/client';

/** grpc.status, by name: the ones the CLI looks for. */
export const GrpcStatus = {
  CANCELLED: 1,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  FAILED_PRECONDITION: 9,
  UNAVAILABLE: 14,
} as const;

/** Whether Temporal could not be reached (or did not answer in time): the call may not have been made at all. */
export function isUnreachable(err: unknown): boolean {
  return hasGrpcStatus(err, GrpcStatus.UNAVAILABLE, GrpcStatus.DEADLINE_EXCEEDED);
}

/** Whether the error, or an error it was caused by, is a gRPC service error with one of these codes. */
export function hasGrpcStatus(err: unknown, ...codes: number[]): boolean {
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (isGrpcServiceError(cause) && codes.includes(cause.code)) return true;
  }
  return false;
}
