/** Options that several commands declare alike: how a started workflow is followed, and where bought files go. */
import type { Command } from 'commander';
import { DELIVER_ENDPOINT_HELP, DELIVER_HELP } from './deliver-option';
import { deliverTarget, s3Endpoint } from './options';

/** `--wait` (the default) or `--no-wait`, and `--json`, for a command that starts a purchase or a batch. */
export function addFollowOptions(command: Command, what: 'purchase' | 'new purchase' | 'batch'): Command {
  return command
    .option('--wait', `follow the ${what} to its end (default)`, true)
    .option('--no-wait', 'start and return at once')
    .option('--json', 'print the result as JSON', false);
}

/** `--deliver DIR|s3://BUCKET/PREFIX` and `--deliver-endpoint URL`, read by `deliverOptions`. */
export function addDeliveryOptions(command: Command): Command {
  return command
    .option('--deliver <dir|s3-url>', DELIVER_HELP, deliverTarget)
    .option('--deliver-endpoint <url>', DELIVER_ENDPOINT_HELP, s3Endpoint);
}
