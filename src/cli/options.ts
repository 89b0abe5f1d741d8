/**
 * The typed parsers of every `dcp` option and argument. A bad value is a usage error (exit 2) whose one line names
 * the option and the value: `dcp: option '--limit <n>' argument 'banana' is invalid. must be a whole number ...`.
 * Light on purpose (no schema library): every command's definition loads them, even `dcp --help`.
 */
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../shared/duration';
import { idProblem, LIMITS } from '../shared/input-limits';
import { isDecimal } from '../shared/money';
import { notifyUrlProblems } from '../shared/notification-types';
import type { LineItemInput } from '../shared/purchase-types';
import { checkEndpoint, isS3Url, parseS3Url } from '../shared/s3-destination';

type Parser<T> = (text: string) => T;

/** Wraps a checking function: a thrown error becomes the usage error of the option it parses. */
export function parser<T>(parse: Parser<T>): Parser<T> {
  return (text: string) => {
    try {
      return parse(text);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  };
}

export function integer(min: number, max: number): Parser<number> {
  return parser((text) => {
    const n = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || n < min || n > max) {
      throw new RangeError(`must be a whole number from ${min} to ${max}`);
    }
    return n;
  });
}

export const positiveInteger = integer(1, 2 ** 31 - 1);
export const port = integer(0, 65535);

export function decimalNumber(min: number, max: number): Parser<number> {
  return parser((text) => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new RangeError(`must be a number from ${min} to ${max}`);
    }
    return n;
  });
}

export const amount = parser((text) => {
  if (!isDecimal(text) || text.startsWith('-') || /^0+(\.0+)?$/.test(text) || text.length > 30) {
    throw new RangeError('must be a positive decimal amount, like 250 or 99.95');
  }
  return text;
});

export const currency = parser((text) => {
  if (!/^[A-Za-z]{3}$/.test(text)) throw new RangeError('must be a 3-letter currency code, like EUR');
  return text.toUpperCase();
});

export const duration = parser((text) => {
  try {
    return parseDuration(text, 'duration');
  } catch {
    throw new RangeError('must be a duration from 1ms to 3650d, like 90s, 30m, 72h, 7d or 1h30m');
  }
});

export const id = parser((text) => {
  const problem = idProblem(text);
  if (problem) throw new RangeError(problem);
  return text;
});

export const freeText = parser((text) => {
  if (text.length > LIMITS.textLength) throw new RangeError(`is over the limit of ${LIMITS.textLength} characters`);
  return text;
});

export const filePath = parser((text) => {
  if (text.trim() === '' || text.includes('\0') || text.length > 4096) throw new RangeError('must be a file path');
  return text;
});

/** `--deliver`: a directory, or `s3://BUCKET[/PREFIX]` (checked here, turned into a destination by deliver-option.ts). */
export const deliverTarget = parser((text) => (isS3Url(text) ? (parseS3Url(text), text) : filePath(text)));

/** `--deliver-endpoint`: an S3-compatible store's http(s) URL. */
export const s3Endpoint = parser(checkEndpoint);

/** `COLLECTION/ITEM` or `COLLECTION/ITEM@LEVEL`, each part an id. */
export function parseItemRef(text: string): LineItemInput {
  const match = /^([^/\s@]+)\/([^/\s@]+)(?:@([^/\s@]+))?$/.exec(text.trim());
  if (!match) throw new RangeError('must be COLLECTION/ITEM or COLLECTION/ITEM@LEVEL');
  const [, collection, item, level] = match;
  for (const part of [collection, item, level]) {
    const problem = part === undefined ? null : idProblem(part);
    if (problem) throw new RangeError(`each part ${problem}`);
  }
  return level ? { collection, item, level } : { collection, item };
}

export const itemRef = parser(parseItemRef);

/** Collects a repeatable option's values. */
export function repeatable<T>(parse: Parser<T>): (text: string, previous?: T[]) => T[] {
  return (text, previous = []) => [...previous, parse(text)];
}

/** A `--notify` URL: http(s) (the workflow checks the same rule). */
export const notifyUrl = parser((text): string => {
  const [problem] = notifyUrlProblems([text]);
  if (problem) throw new RangeError('must be an http(s) URL');
  return text;
});

export const bbox = parser((text): [number, number, number, number] => {
  // Number('') is 0: an empty part would be taken for the equator or the prime meridian.
  const parts = text.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n)))
    throw new RangeError('must be WEST,SOUTH,EAST,NORTH');
  const [west, south, east, north] = parts;
  if (south > north || south < -90 || north > 90 || west < -180 || east > 180) {
    throw new RangeError('must lie within -180..180 / -90..90 with south below north');
  }
  return [west, south, east, north];
});

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** A STAC datetime: an RFC 3339 instant, or an interval `A/B` where either end may be `..`. */
export function parseDatetime(text: string): string {
  const ends = text.split('/');
  const valid = (end: string) => RFC3339.test(end) && !Number.isNaN(Date.parse(end));
  const ok =
    ends.length === 1
      ? valid(ends[0])
      : ends.length === 2 && ends.some((e) => e !== '..') && ends.every((e) => e === '..' || valid(e));
  if (!ok) throw new RangeError('must be an RFC 3339 instant or an interval like 2024-01-01T00:00:00Z/..');
  if (ends.length === 2 && ends.every(valid) && Date.parse(ends[0]) > Date.parse(ends[1])) {
    throw new RangeError('ends before it starts');
  }
  return text;
}

export const datetime = parser(parseDatetime);

/** An RFC 3339 instant. */
export const instant = parser((text) => {
  if (!RFC3339.test(text) || Number.isNaN(Date.parse(text)))
    throw new RangeError('must be an RFC 3339 time, like 2026-01-31T00:00:00Z');
  return text;
});
