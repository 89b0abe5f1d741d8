/**
 * Reads the files `dcp batch` takes: item lists as JSON (an array of items or of "COLLECTION/ITEM[@LEVEL]"
 * strings, or a STAC FeatureCollection), CSV (header `collection,item[,level]`) or NDJSON (one item per
 * line), and a search as a JSON object. Every problem is one line naming the file and the line or entry.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { BatchSearch } from '../shared/batch-types';
import type { LineItemInput } from '../shared/purchase-types';
import { idProblem, jsonDepthProblem, LIMITS } from '../shared/input-limits';
import { oneLine, quoteValue } from '../shared/one-line';
import { parseItemRef } from './options';

export type ItemFileFormat = 'json' | 'csv' | 'ndjson';

export class ItemFileError extends Error {}

export function readItemFile(file: string): LineItemInput[] {
  return parseItemFile(readText(file), formatOf(file), path.basename(file));
}

export function formatOf(file: string): ItemFileFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json' || ext === '.geojson') return 'json';
  if (ext === '.csv') return 'csv';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  throw new ItemFileError(
    `${path.basename(file)}: unknown item file type ${quoteValue(ext)} (use .json, .csv or .ndjson)`,
  );
}

export function parseItemFile(text: string, format: ItemFileFormat, name: string): LineItemInput[] {
  const items =
    format === 'json' ? fromJson(text, name) : format === 'csv' ? fromCsv(text, name) : fromNdjson(text, name);
  if (items.length === 0) throw new ItemFileError(`${name}: no items`);
  if (items.length > LIMITS.itemsPerFile) {
    throw new ItemFileError(`${name}: ${items.length} items, over the limit of ${LIMITS.itemsPerFile} per file`);
  }
  return items;
}

function fromJson(text: string, name: string): LineItemInput[] {
  const value = parseJson(text, name);
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.features) ? value.features : null;
  if (list === null) throw new ItemFileError(`${name}: expected a JSON array of items or a STAC FeatureCollection`);
  return list.map((entry, i) => toItem(entry, `${name} entry ${i + 1}`));
}

function fromNdjson(text: string, name: string): LineItemInput[] {
  const items: LineItemInput[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    items.push(toItem(parseJson(line, `${name} line ${i + 1}`), `${name} line ${i + 1}`));
  });
  return items;
}

function fromCsv(text: string, name: string): LineItemInput[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const header = (lines[0] ?? '').split(',').map((cell) => cell.trim().toLowerCase());
  const col = (wanted: string) => header.indexOf(wanted);
  if (col('collection') < 0 || col('item') < 0) {
    throw new ItemFileError(
      `${name} line 1: expected a header with "collection" and "item" columns (and optionally "level")`,
    );
  }
  const items: LineItemInput[] = [];
  lines.slice(1).forEach((line, i) => {
    if (line === '') return;
    const where = `${name} line ${i + 2}`;
    const cells = line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
    if (cells.length !== header.length)
      throw new ItemFileError(`${where}: ${cells.length} columns, the header has ${header.length}`);
    const level = col('level') >= 0 ? cells[col('level')] : '';
    items.push(
      toItem({ collection: cells[col('collection')], item: cells[col('item')], ...(level ? { level } : {}) }, where),
    );
  });
  return items;
}

function toItem(entry: unknown, where: string): LineItemInput {
  if (typeof entry === 'string') {
    try {
      return parseItemRef(entry);
    } catch {
      throw new ItemFileError(`${where}: ${quoteValue(entry)} is not COLLECTION/ITEM or COLLECTION/ITEM@LEVEL`);
    }
  }
  if (!isObject(entry)) throw new ItemFileError(`${where}: expected an item object or a "COLLECTION/ITEM" string`);
  // STAC items carry `id`; plain item lists carry `item`.
  const item = entry.type === 'Feature' ? entry.id : entry.item;
  const level = entry.level ?? (isObject(entry.properties) ? entry.properties['processing:level'] : undefined);
  for (const [field, value] of [
    ['collection', entry.collection],
    ['item', item],
    ['level', level],
  ] as const) {
    if (field === 'level' && value === undefined) continue;
    if (field === 'level' && typeof value !== 'string') throw new ItemFileError(`${where}: "level" must be a string`);
    if (typeof value !== 'string' || !/^[^/\s@]+$/.test(value))
      throw new ItemFileError(`${where}: missing or invalid "${field}"`);
    const problem = idProblem(value);
    if (problem) throw new ItemFileError(`${where}: "${field}" ${problem}`);
  }
  return { collection: entry.collection as string, item: item as string, ...(level ? { level: level as string } : {}) };
}

const SEARCH_FIELDS = ['collections', 'bbox', 'intersects', 'datetime', 'query', 'maxItems', 'limit'];

/** A search file: the STAC search fields, plus `maxItems` (or `limit`) for the most items the batch examines. */
export function readSearchFile(file: string): BatchSearch {
  return parseSearch(readText(file), path.basename(file));
}

export function parseSearch(text: string, name: string): BatchSearch {
  const value = parseJson(text, name);
  if (!isObject(value)) throw new ItemFileError(`${name}: expected a JSON object with search fields`);
  const unknown = Object.keys(value).filter((key) => !SEARCH_FIELDS.includes(key));
  if (unknown.length > 0) {
    // The first few name the mistake; a file of thousands of them must not make a line as long.
    const named = unknown.slice(0, 3).map((key) => quoteValue(key));
    const more = unknown.length > named.length ? ` and ${unknown.length - named.length} more` : '';
    throw new ItemFileError(
      `${name}: unknown search field(s) ${named.join(', ')}${more} (known: ${SEARCH_FIELDS.join(', ')})`,
    );
  }
  const { limit, ...search } = value as BatchSearch & { limit?: number };
  if (
    search.collections !== undefined &&
    !(Array.isArray(search.collections) && search.collections.every((c) => typeof c === 'string'))
  ) {
    throw new ItemFileError(`${name}: "collections" must be an array of strings`);
  }
  if (
    search.bbox !== undefined &&
    !(Array.isArray(search.bbox) && search.bbox.length === 4 && search.bbox.every(Number.isFinite))
  ) {
    throw new ItemFileError(`${name}: "bbox" must be [west, south, east, north]`);
  }
  if (search.datetime !== undefined && typeof search.datetime !== 'string')
    throw new ItemFileError(`${name}: "datetime" must be a string`);
  const maxItems = search.maxItems ?? limit;
  if (maxItems !== undefined && !(Number.isInteger(maxItems) && maxItems > 0)) {
    throw new ItemFileError(`${name}: "maxItems" must be a positive whole number`);
  }
  return { ...search, ...(maxItems !== undefined ? { maxItems } : {}) };
}

function parseJson(text: string, where: string): unknown {
  const tooDeep = jsonDepthProblem(text);
  if (tooDeep) throw new ItemFileError(`${where}: ${tooDeep}`);
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ItemFileError(`${where}: invalid JSON (${oneLine((err as Error).message)})`);
  }
}

function readText(file: string): string {
  try {
    const { size } = statSync(file);
    if (size > LIMITS.fileBytes) {
      throw new ItemFileError(
        `${path.basename(file)}: ${(size / 1024 / 1024).toFixed(1)} MiB, over the limit of ${LIMITS.fileBytes / 1024 / 1024} MiB`,
      );
    }
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof ItemFileError) throw err;
    throw new ItemFileError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
