import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { DataCosmosError } from '../../src/datacosmos';
import { FAILURE } from '../../src/shared/failure-types';

/** The rejection of `promise`, which must be a DataCosmosError. */
export async function failure(promise: Promise<unknown>): Promise<DataCosmosError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataCosmosError);
  return error as DataCosmosError;
}

/** A workflow that ended as bad input ends: failed with an InvalidInput failure carrying this message. */
export async function expectInvalidInput(handle: { result(): Promise<unknown> }, message: string): Promise<void> {
  const error = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect({ type: (cause as ApplicationFailure).type, message: cause?.message }).toEqual({
    type: FAILURE.invalidInput,
    message,
  });
}
