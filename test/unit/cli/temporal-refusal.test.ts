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
