import { ServiceError } from '@temporalio/client';
import { asCliError } from '../../../src/cli/context';
import { CliError, ExitCode } from '../../../src/shared/errors';

test("a call Temporal refused says what Temporal answered, not only the client's summary", () => {
  const answer = Object.assign(new Error('3 INVALID_ARGUMENT: Namespace default is not found.'), { code: 3 });
  const error = asCliError(new ServiceError('Failed to start Workflow', { cause: answer }));
  expect(error).toBeInstanceOf(CliError);
  expect(error).toMatchObject({
    message: 'Failed to start Workflow: 3 INVALID_ARGUMENT: Namespace default is not found.',
    exitCode: ExitCode.FAILURE,
  });
});

test('Temporal lost after the connection was made is a service that cannot be reached (exit 7), not a failure', () => {
  const lost = Object.assign(new Error('14 UNAVAILABLE: No connection established'), {
    code: 14,
    details: 'No connection established',
    metadata: {},
  });
  const error = asCliError(new ServiceError('Failed to query Workflow', { cause: lost }));
  expect(error).toMatchObject({
    message: 'Failed to query Workflow: 14 UNAVAILABLE: No connection established',
    exitCode: ExitCode.UNAVAILABLE,
  });
});
