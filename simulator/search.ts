/**
 * STAC item search: GET parameters and POST bodies become one validated query, run over the
 * catalog in its stable order (datetime desc, id asc) with cursor pagination.
 */
import { z } from 'zod';
import type { Catalog, CatalogItem } from './catalog';
import { bboxesOverlap, footprintIntersects, parseQueryGeometry, type BBox, type QueryShape } from './geometry';
import { ApiError, parseOrThrow } from './http';

export const NUMERIC_PROPERTIES: Record<string, (item: CatalogItem) => number> = {
  'eo:cloud_cover': (item) => item.cloudCover,
  gsd: (item) => item.gsd,
  'opencosmos:data_area_km2': (item) => item.areaKm2,
};

const Operator = z.enum(['eq', 'neq', 'lt', 'lte', 'gt', 'gte']);
type Operator = z.infer<typeof Operator>;

const COMPARATORS: Record<Operator, (a: number, b: number) => boolean> = {
  eq: (a, b) => a === b,
  neq: (a, b) => a !== b,
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
};

/**
 * A STAC API item search (core, plus the query extension and DataCosmos's `contract_id` for inline
 * prices). Unknown fields are refused; geometries and datetimes are checked when compiled, so the
 * message can say what is wrong with them.
 */
const SearchBody = z
  .object({
    collections: z.array(z.string().min(1)),
    ids: z.array(z.string().min(1)),
    bbox: z.array(z.number()).refine((b) => b.length === 4 || b.length === 6, 'bbox needs 4 or 6 numbers'),
    intersects: z.unknown(),
    datetime: z.string(),
    limit: z.number().int().min(1).max(1000),
    query: z.record(z.string(), z.partialRecord(Operator, z.number())),
    contract_id: z.number().int(),
    cursor: z.string(),
  })
  .partial()
  .strict();
export type SearchRequest = z.infer<typeof SearchBody>;

export const DEFAULT_LIMIT = 10;

export interface SearchQuery {
  request: SearchRequest;
  limit: number;
  /** Index in the catalog order where this page starts scanning. */
  start: number;
  matches: (item: CatalogItem) => boolean;
}

/** GET parameters in the shape of the POST body, then the same validation. */
export function searchRequestFromParams(params: URLSearchParams): SearchRequest {
  const body: Record<string, unknown> = {};
  const list = (name: string) =>
    params
      .get(name)!
      .split(',')
      .filter((s) => s.length > 0);
  if (params.has('collections')) body.collections = list('collections');
  if (params.has('ids')) body.ids = list('ids');
  if (params.has('bbox')) body.bbox = list('bbox').map((v) => numberParam('bbox', v));
  if (params.has('intersects')) body.intersects = jsonParam('intersects', params.get('intersects')!);
  if (params.has('datetime')) body.datetime = params.get('datetime');
  if (params.has('limit')) body.limit = numberParam('limit', params.get('limit')!);
  if (params.has('query')) body.query = jsonParam('query', params.get('query')!);
  if (params.has('contract_id')) body.contract_id = numberParam('contract_id', params.get('contract_id')!);
  if (params.has('cursor')) body.cursor = params.get('cursor');
  return parseOrThrow(SearchBody, body);
}

export function searchRequestFromBody(body: unknown): SearchRequest {
  return parseOrThrow(SearchBody, body);
}

function numberParam(field: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new ApiError(400, `${field} must be numeric, got "${text}"`, field);
  return value;
}

export function jsonParam(field: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(400, `${field} is not valid JSON`, field);
  }
}

export function compileSearch(request: SearchRequest): SearchQuery {
  if (request.bbox && request.intersects !== undefined)
    throw new ApiError(400, 'bbox and intersects cannot be used together', 'bbox');
  const tests: ((item: CatalogItem) => boolean)[] = [];
  if (request.collections) {
    const wanted = new Set(request.collections);
    tests.push((item) => wanted.has(item.collection.id));
  }
  if (request.ids) {
    const wanted = new Set(request.ids);
    tests.push((item) => wanted.has(item.id));
  }
  if (request.bbox) tests.push(bboxTest(request.bbox));
  if (request.intersects !== undefined) {
    const shape = queryShape(request.intersects);
    tests.push((item) => footprintIntersects(item.ring, item.bbox, shape));
  }
  if (request.datetime !== undefined) {
    const [from, to] = parseDatetime(request.datetime);
    tests.push((item) => item.epochMs >= from && item.epochMs <= to);
  }
  for (const [property, comparison] of Object.entries(request.query ?? {})) tests.push(queryTest(property, comparison));
  return {
    request,
    limit: request.limit ?? DEFAULT_LIMIT,
    start: request.cursor === undefined ? 0 : decodeCursor(request.cursor),
    matches: (item) => tests.every((test) => test(item)),
  };
}

function queryShape(geometry: unknown): QueryShape {
  try {
    return parseQueryGeometry(geometry);
  } catch (error) {
    throw new ApiError(400, `intersects: ${(error as Error).message}`, 'intersects');
  }
}

/** Antimeridian boxes (west > east) are split into two ordinary ones. */
function bboxTest(bbox: number[]): (item: CatalogItem) => boolean {
  const [w, s, e, n] = bbox.length === 6 ? [bbox[0], bbox[1], bbox[3], bbox[4]] : bbox;
  if (s < -90 || n > 90 || s > n)
    throw new ApiError(400, `bbox latitudes must satisfy -90 <= south <= north <= 90`, 'bbox');
  if (w < -180 || w > 180 || e < -180 || e > 180)
    throw new ApiError(400, 'bbox longitudes must be within [-180, 180]', 'bbox');
  const boxes: BBox[] =
    w <= e
      ? [[w, s, e, n]]
      : [
          [w, s, 180, n],
          [-180, s, e, n],
        ];
  return (item) => boxes.some((box) => bboxesOverlap(box, item.bbox));
}

function queryTest(property: string, comparison: Partial<Record<Operator, number>>): (item: CatalogItem) => boolean {
  const read = NUMERIC_PROPERTIES[property];
  if (!read)
    throw new ApiError(
      400,
      `query: ${property} is not a queryable numeric property (${Object.keys(NUMERIC_PROPERTIES).join(', ')})`,
      'query',
    );
  const checks = Object.entries(comparison).filter((entry): entry is [Operator, number] => entry[1] !== undefined);
  return (item) => checks.every(([op, operand]) => COMPARATORS[op](read(item), operand));
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** An RFC 3339 instant or interval (`a/b`, `../b`, `a/..`) as inclusive epoch-ms bounds. */
export function parseDatetime(text: string): [number, number] {
  const parts = text.split('/');
  if (parts.length > 2)
    throw new ApiError(400, `datetime "${text}" is not an RFC 3339 instant or interval`, 'datetime');
  if (parts.length === 1) {
    const at = instant(parts[0], text);
    return [at, at];
  }
  const open = (part: string) => part === '' || part === '..';
  if (open(parts[0]) && open(parts[1])) throw new ApiError(400, `datetime "${text}" is open at both ends`, 'datetime');
  const from = open(parts[0]) ? -Infinity : instant(parts[0], text);
  const to = open(parts[1]) ? Infinity : instant(parts[1], text);
  if (from > to) throw new ApiError(400, `datetime "${text}" ends before it starts`, 'datetime');
  return [from, to];
}

function instant(part: string, whole: string): number {
  const epoch = Date.parse(part);
  if (!RFC3339.test(part) || Number.isNaN(epoch))
    throw new ApiError(400, `datetime "${whole}" is not an RFC 3339 instant or interval`, 'datetime');
  return epoch;
}

export function encodeCursor(position: number): string {
  return Buffer.from(`p:${position}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^p:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new ApiError(400, 'cursor is invalid; use the one from the next link', 'cursor');
  return Number(match[1]);
}

export interface SearchPage {
  items: CatalogItem[];
  matched: number;
  /** Catalog position where the next page starts, or null on the last page. */
  next: number | null;
}

/** One page of the search, in catalog order; a search by ids looks only at the places of those ids. */
export function runSearch(catalog: Pick<Catalog, 'items' | 'positionsById'>, query: SearchQuery): SearchPage {
  const { items } = catalog;
  const page: CatalogItem[] = [];
  let matched = 0;
  let next: number | null = null;
  const visit = (i: number) => {
    if (!query.matches(items[i])) return;
    matched += 1;
    if (i < query.start) return;
    if (page.length < query.limit) page.push(items[i]);
    else next ??= i;
  };
  const ids = query.request.ids;
  if (ids) {
    const places = [...new Set(ids)].flatMap((id) => catalog.positionsById.get(id) ?? []);
    for (const i of places.sort((a, b) => a - b)) visit(i);
  } else {
    for (let i = 0; i < items.length; i++) visit(i);
  }
  return { items: page, matched, next };
}
