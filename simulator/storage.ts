/** Asset downloads: deterministic bytes, HTTP ranges, and access only for items of the caller's PAID orders. */
import { itemKey } from './catalog';
import { assetBytes } from './asset-bytes';
import { callerOf, type RequestContext } from './context';
import { ApiError, type Reply } from './http';

export function downloadAsset(ctx: RequestContext): Reply {
  const caller = callerOf(ctx);
  const [collection, id, file] = ctx.params;
  const item = ctx.sim.catalog.byKey.get(itemKey(collection, id));
  const asset = item?.assets.find((a) => a.file === file);
  if (!item || !asset) throw new ApiError(404, `file ${collection}/${id}/${file} not found`);
  if (!ctx.sim.state.paidItems.get(caller.organisation.id)?.has(itemKey(collection, id)))
    throw new ApiError(403, `organisation ${caller.organisation.id} has no paid order for item ${id}`);
  const bytes = assetBytes(ctx.sim.catalog.seed, item, asset);
  const headers = {
    'content-type': asset.type,
    'accept-ranges': 'bytes',
    etag: `"${ctx.sim.facts.get(item, asset).checksum}"`,
  };
  const range = ctx.req.headers.range;
  if (range === undefined) return { status: 200, headers, raw: bytes };
  const [start, end] = parseRange(range, bytes.length);
  return {
    status: 206,
    headers: { ...headers, 'content-range': `bytes ${start}-${end}/${bytes.length}` },
    raw: bytes.subarray(start, end + 1),
  };
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range as inclusive offsets; anything else is a 416. */
function parseRange(header: string, size: number): [number, number] {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const unsatisfiable = () =>
    new ApiError(416, `range "${header}" cannot be satisfied for ${size} bytes`, null, {
      'content-range': `bytes */${size}`,
    });
  if (!match || (match[1] === '' && match[2] === '')) throw unsatisfiable();
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw unsatisfiable();
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || start > end) throw unsatisfiable();
  return [start, end];
}
