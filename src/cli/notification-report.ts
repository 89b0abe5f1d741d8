/** `dcp status` and `dcp batch status`: the report, then the notifications of that purchase or batch still retrying. */
import type { Client } from '@temporalio/client';
import { formatRetryingNotifications, retryingNotifications } from '../workflow-client/notification-client';
import { printJson } from './output';

/** Prints the report (as JSON with `notificationsRetrying` when there are any, or as text with a line for each). */
export async function printWithNotifications(
  client: Client,
  id: string,
  json: boolean,
  report: object,
  text: string,
): Promise<void> {
  // The report stands without them: a visibility store that cannot answer is a note, not a failure.
  const retrying = await retryingNotifications(client, id).catch((err: Error) => {
    process.stderr.write(`note: cannot list the notifications of ${id}: ${err.message}\n`);
    return [];
  });
  if (json) printJson(retrying.length > 0 ? { ...report, notificationsRetrying: retrying } : report);
  else process.stdout.write(`${[text, ...formatRetryingNotifications(retrying)].join('\n')}\n`);
}
