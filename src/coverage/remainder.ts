/**
 * The part of the area of interest that no pick covers yet, kept in tiles. A tile is a square of a grid
 * over the area's box holding the remainder inside it, so that taking a footprint away, or asking what is
 * left under one, costs polygon operations on a few small tiles instead of on the whole area (whose
 * outline may have 10,000 vertices). Pure.
 */
import {
  boxesOverlap,
  boxOf,
  clipToBox,
  difference,
  intersection,
  union,
  vertexCount,
  type Box,
  type Parts,
} from './geometry';

/** About this many of the area's vertices per tile. */
const VERTICES_PER_TILE = 32;
const MAX_TILES_PER_SIDE = 32;

interface Tile {
  box: Box;
  parts: Parts;
}

export class Remainder {
  private readonly tiles: Tile[];
  /** The box of each shape taken away, in order. */
  private readonly taken: Box[] = [];

  constructor(aoi: Parts, [west, south, east, north]: Box) {
    const side = Math.min(MAX_TILES_PER_SIDE, Math.max(1, Math.ceil(Math.sqrt(vertexCount(aoi) / VERTICES_PER_TILE))));
    const [width, height] = [(east - west) / side, (north - south) / side];
    this.tiles = [];
    for (let i = 0; i < side; i++) {
      for (let j = 0; j < side; j++) {
        const box: Box = [west + i * width, south + j * height, west + (i + 1) * width, south + (j + 1) * height];
        const parts = side === 1 ? aoi : clipToBox(aoi, box);
        if (parts.length > 0) this.tiles.push({ box, parts });
      }
    }
  }

  /** How many shapes were taken away; a position in the history that `since` arguments refer to. */
  get count(): number {
    return this.taken.length;
  }

  /** Whether a shape taken away from position `since` on reaches into `box`. */
  changedSince(since: number, box: Box): boolean {
    return this.taken.slice(since).some((taken) => boxesOverlap(taken, box));
  }

  /** What is left of the area inside `shape` (whose box is `box`). */
  within(shape: Parts, box: Box): Parts {
    const near = this.tiles.filter((t) => boxesOverlap(t.box, box)).flatMap((t) => clipToBox(t.parts, box));
    return near.length === 0 ? [] : intersection(shape, near);
  }

  takeAway(shape: Parts): void {
    const box = boxOf(shape);
    this.taken.push(box);
    for (const tile of this.tiles) {
      if (boxesOverlap(tile.box, box) && tile.parts.length > 0) tile.parts = difference(tile.parts, shape);
    }
  }

  /** The whole remainder, as one shape. */
  parts(): Parts {
    return union(...this.tiles.map((t) => t.parts));
  }
}
