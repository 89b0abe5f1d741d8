/** Structured JSON logs on stderr. Tokens and secrets are never passed to it. */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino(
    { level, base, redact: { paths: ['*.clientSecret', '*.authorization', '*.token'], remove: true } },
    pino.destination(2),
  );
}
