import { DataCosmosError } from '../../src/datacosmos';

/** The rejection of `promise`, which must be a DataCosmosError. */
export async function failure(promise: Promise<unknown>): Promise<DataCosmosError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataCosmosError);
  return error as DataCosmosError;
}
