/**
 * Stored pages: how data larger than a Temporal payload should be (a 50,000-item list, a 10,000-vertex area, a
 * coverage plan, a batch's report) travels without ever being one payload. A list of JSON values is cut into pages
 * of at most PAGE_BYTES; each page is the input of a page workflow (`storedPageWorkflow`) on the claims queue of its
 * owner's target, readable by any worker or client from the workflow's first history event, and kept until its
 * owner (the batch, or the schedule) has ended. Workflows and their results carry only a `StoredList`, the
 * reference. Pure types and rules, shared by workflows, activities and clients.
 */

/** Who a page belongs to: it is kept while this workflow (or schedule) may still read it. */
export interface PageOwner {
  kind: 'workflow' | 'schedule';
  id: string;
}

/** A list of JSON values kept in pages `pages/<owner id>/<name>/<n>`, n from 0 to pages - 1. */
export interface StoredList {
  owner: PageOwner;
  /** Unique within the owner: what the list is, and for data written from outside a hash of its content. */
  name: string;
  pages: number;
  /** Values in all pages together. */
  count: number;
  /** Values per page, from the first; pages are cut by size, so they may hold different numbers. */
  pageCounts: number[];
}

/** What a page workflow is started with. */
export interface StoredPage {
  owner: PageOwner;
  values: unknown[];
}

/** A page's JSON stays well under Temporal's 512 KB warning limit for one payload, with room for its envelope. */
export const PAGE_BYTES = 128 * 1024;

/** Up to this many bytes of JSON a value stays inline in a workflow's input; larger ones are stored in pages. */
export const INLINE_BYTES = 64 * 1024;

export function pageId(list: Pick<StoredList, 'owner' | 'name'>, page: number): string {
  return `pages/${list.owner.id}/${list.name}/${page}`;
}

/** Bytes of a value as JSON (UTF-8), as a payload carries it. */
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? '');
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** Cuts values into pages of at most maxBytes of JSON each; a value larger than a page is refused. */
export function paginate<T>(values: readonly T[], maxBytes = PAGE_BYTES): T[][] {
  const pages: T[][] = [];
  let page: T[] = [];
  let bytes = 2;
  for (const value of values) {
    const size = jsonBytes(value) + 1;
    if (size + 2 > maxBytes) throw new RangeError(`a value of ${size} bytes does not fit a page of ${maxBytes} bytes`);
    if (bytes + size > maxBytes && page.length > 0) {
      pages.push(page);
      page = [];
      bytes = 2;
    }
    page.push(value);
    bytes += size;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/**
 * Text cut into pieces that each fit a page as a JSON string even if every character needed escaping (six bytes);
 * `paginate` then packs several into a page. A large GeoJSON is stored as such a list of strings.
 */
export function textPieces(text: string, maxChars = Math.floor(PAGE_BYTES / 8)): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + maxChars);
    // Never split a surrogate pair.
    if (end < text.length && text.charCodeAt(end - 1) >= 0xd800 && text.charCodeAt(end - 1) <= 0xdbff) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** The reference of a list cut into these pages. */
export function storedList(owner: PageOwner, name: string, pages: readonly unknown[][]): StoredList {
  return {
    owner,
    name,
    pages: pages.length,
    count: pages.reduce((sum, page) => sum + page.length, 0),
    pageCounts: pages.map((page) => page.length),
  };
}

/** Which page holds value `index`, and where in it. */
export function locate(list: Pick<StoredList, 'pageCounts'>, index: number): { page: number; offset: number } {
  let offset = index;
  for (let page = 0; page < list.pageCounts.length; page++) {
    if (offset < list.pageCounts[page]) return { page, offset };
    offset -= list.pageCounts[page];
  }
  throw new RangeError(`index ${index} is past the end of the stored list`);
}
