/**
 * An error while a command follows the purchase or batch it started names what goes on and where to see it: with
 * --json no start line was printed, and a batch's default id is new each time. The command's own verdict (a
 * CliError: the end's exit code) is left as it is.
 */
import { ServiceError, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, RetryState } from '@temporalio/common';
import { FAILURE } from '../../../src/shared/failure-types';
import { followingStarted } from '../../../src/cli/following';
import { CliError, ExitCode } from '../../../src/shared/errors';

test('a failure while following names the batch, how to see it, and keeps the exit code of its cause', async () => {
  const lost = Object.assign(new Error('14 UNAVAILABLE: connection refused'), {
    code: 14,
    details: 'connection refused',
    metadata: {},
  });
  const following = followingStarted('batch b-1', 'dcp batch status b-1', async () => {
    throw new ServiceError('Failed to query Workflow', { cause: lost });
  });
  await expect(following).rejects.toMatchObject({
    message:
      'batch b-1 goes on without this command (dcp batch status b-1); following it failed: ' +
      'Failed to query Workflow: 14 UNAVAILABLE: connection refused',
    exitCode: ExitCode.UNAVAILABLE,
  });
});

test('a purchase that ended while followed (its input refused) is reported as ended, not as going on', async () => {
  const refused = ApplicationFailure.create({ type: FAILURE.invalidInput, message: 'invalid purchase: bad budget' });
  const ended = new WorkflowFailedError('Workflow execution failed', refused, RetryState.NON_RETRYABLE_FAILURE);
  await expect(followingStarted('purchase p-1', 'x', () => Promise.reject(ended))).rejects.toMatchObject({
    message: 'invalid purchase: bad budget',
    exitCode: ExitCode.USAGE,
  });
});

test("the command's own verdict passes as it is", async () => {
  const verdict = new CliError('batch b-1 finished with 1 failed item(s)', ExitCode.ITEMS_FAILED);
  await expect(followingStarted('batch b-1', 'x', () => Promise.reject(verdict))).rejects.toBe(verdict);
  expect(await followingStarted('batch b-1', 'x', async () => 3)).toBe(3);
});
