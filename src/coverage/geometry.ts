/**
 * The polygon operations coverage planning needs, as thin calls into kept libraries: polyclip-ts for
 * boolean operations (its arbitrary-precision arithmetic stays correct on the nearly coincident edges that
 * make floating-point sweep lines fail or loop), turf for geodesic area, lengths, boxes, simplification
 * and buffers. Shapes are plain MultiPolygon coordinate arrays (lon/lat, antimeridian-free). Pure.
 */
import * as polyclip from 'polyclip-ts';
import turfArea from '@turf/area';
import turfBbox from '@turf/bbox';
import bboxClip from '@turf/bbox-clip';
import { buffer as turfBuffer } from '@turf/buffer';
import turfLength from '@turf/length';
import turfSimplify from '@turf/simplify';
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** MultiPolygon coordinates: polygons of rings of [lon, lat] positions. */
export type Parts = Position[][][];
/** [west, south, east, north] in degrees. */
export type Box = [number, number, number, number];

export function toParts(geometry: Polygon | MultiPolygon): Parts {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

export function multiPolygon(parts: Parts): MultiPolygon {
  return { type: 'MultiPolygon', coordinates: parts };
}

export function areaKm2(parts: Parts): number {
  return parts.length === 0 ? 0 : turfArea(multiPolygon(parts)) / 1e6;
}

/** Geodesic length of every ring, in km. */
export function perimeterKm(parts: Parts): number {
  if (parts.length === 0) return 0;
  return turfLength({ type: 'Feature', properties: {}, geometry: multiPolygon(parts) }, { units: 'kilometers' });
}

export function boxOf(parts: Parts): Box {
  return turfBbox(multiPolygon(parts)) as Box;
}

export function boxesOverlap(a: Box, b: Box): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

export function boxParts([west, south, east, north]: Box): Parts {
  return [
    [
      [
        [west, south],
        [east, south],
        [east, north],
        [west, north],
        [west, south],
      ],
    ],
  ];
}

export function vertexCount(parts: Parts): number {
  return parts.reduce((n, polygon) => n + polygon.reduce((m, ring) => m + ring.length - 1, 0), 0);
}

export function union(...shapes: Parts[]): Parts {
  const present = shapes.filter((s) => s.length > 0);
  if (present.length === 0) return [];
  return clip('union', present[0], present.slice(1));
}

export function intersection(a: Parts, b: Parts): Parts {
  if (a.length === 0 || b.length === 0) return [];
  return clip('intersection', a, [b]);
}

export function difference(a: Parts, ...cut: Parts[]): Parts {
  const present = cut.filter((s) => s.length > 0);
  if (a.length === 0 || present.length === 0) return a;
  return clip('difference', a, present);
}

/**
 * The part of `shape` inside `box`, by line clipping (cheap, linear). The result may carry degenerate
 * edges along the box; it is meant as a smaller input to the exact operations above, or for its area.
 */
export function clipToBox(shape: Parts, box: Box): Parts {
  const clipped = bboxClip(multiPolygon(shape), box).geometry as MultiPolygon;
  // bboxClip drops rings with fewer than 4 positions; a polygon whose outer ring went keeps no holes either.
  return clipped.coordinates.filter((polygon) => polygon.length > 0);
}

/** Whether `shape` covers all of `box` (its part inside the box has the box's area). */
export function coversBox(shape: Parts, box: Box): boolean {
  const boxArea = areaKm2(boxParts(box));
  return boxArea > 0 && Math.abs(areaKm2(clipToBox(shape, box)) - boxArea) <= boxArea * 1e-9;
}

/** `shape` ∩ `other`, clipping `other` to the shape's box first so that a large `other` stays cheap. */
export function intersectionWithin(shape: Parts, other: Parts): Parts {
  const local = clipToBox(other, boxOf(shape));
  return local.length === 0 ? [] : intersection(shape, local);
}

/** A degree of latitude, and about as much of longitude near the equator, in metres. */
const METERS_PER_DEGREE = 111_320;

/** Douglas-Peucker simplification; `toleranceMeters` is taken as degrees of latitude, so the same everywhere. */
export function simplified(shape: Parts, toleranceMeters: number): Parts {
  if (shape.length === 0) return shape;
  return toParts(turfSimplify(multiPolygon(shape), { tolerance: toleranceMeters / METERS_PER_DEGREE }));
}

/** Grows (or, for negative `meters`, shrinks) a shape geodesically; empty when nothing is left. */
export function buffered(shape: Parts, meters: number): Parts {
  if (shape.length === 0 || meters === 0) return shape;
  const out = turfBuffer(multiPolygon(shape), meters / 1000, { units: 'kilometers', steps: 4 });
  return out ? toParts(out.geometry) : [];
}

type Geom = Parameters<typeof polyclip.union>[0];

function clip(operation: 'union' | 'intersection' | 'difference', first: Parts, rest: Parts[]): Parts {
  return polyclip[operation](first as Geom, ...(rest as Geom[]));
}
