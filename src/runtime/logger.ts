/**
 * Structured JSON logs on stderr. Tokens and secrets are never passed to it. Written synchronously, so that a
 * process's own last line (a worker's one-line error before it exits) comes after every log line.
 */
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino(
    { level, base, redact: { paths: ['*.clientSecret', '*.authorization', '*.token'], remove: true } },
    pino.destination({ dest: 2, sync: true }),
  );
}

/**
 * Log fields with every Error replaced by its type and message (an Error serialises as `{}` in JSON), and the
 * given secrets blanked out of those messages, in case an upstream reply echoed one.
 */
export function withReadableErrors(
  fields: Record<string, unknown>,
  secrets: readonly string[],
): Record<string, unknown> {
  const scrub = (text: string) =>
    secrets.reduce((out, secret) => (secret ? out.split(secret).join('[redacted]') : out), text);
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => {
      if (!(value instanceof Error)) return [key, value];
      const type = (value as { type?: unknown }).type;
      return [key, { type: typeof type === 'string' ? type : value.name, message: scrub(value.message) }];
    }),
  );
}
