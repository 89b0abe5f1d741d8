/** `--deliver DIR|s3://BUCKET/PREFIX` and `--deliver-endpoint URL` as the delivery a purchase or batch asks for. */
import path from 'node:path';
import type { DeliverOptions } from '../shared/delivery-types';
import { CliError, ExitCode } from '../shared/errors';
import { isS3Url, parseS3Url } from '../shared/s3-destination';

export const DELIVER_HELP =
  'after payment, deliver every asset to this directory (on the worker machine) or bucket (s3://BUCKET/PREFIX)';
export const DELIVER_ENDPOINT_HELP =
  'with --deliver s3://...: the S3-compatible store to write to (default: the worker’s DELIVER_S3_ENDPOINT, else AWS)';

/** The delivery of these options (parsed already), or undefined without --deliver. */
export function deliverOptions(options: { deliver?: string; deliverEndpoint?: string }): DeliverOptions | undefined {
  const { deliver, deliverEndpoint } = options;
  if (deliverEndpoint !== undefined && (deliver === undefined || !isS3Url(deliver))) {
    throw new CliError('--deliver-endpoint goes with --deliver s3://BUCKET/PREFIX', ExitCode.USAGE);
  }
  if (deliver === undefined) return undefined;
  if (!isS3Url(deliver)) return { dir: path.resolve(deliver) };
  return { s3: { ...parseS3Url(deliver), ...(deliverEndpoint ? { endpoint: deliverEndpoint } : {}) } };
}
