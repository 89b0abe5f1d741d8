/**
 * The sub-area one line item buys: the part of a scene's footprint the selection needs, grown by a small
 * margin so that neighbouring parts overlap instead of leaving hairline gaps, kept just inside the
 * footprint, as one Polygon (the API takes a Polygon) with a bounded number of vertices. Pure.
 */
import type { Polygon } from 'geojson';
import convex from '@turf/convex';
import {
  areaKm2,
  boxOf,
  boxParts,
  buffered,
  intersection,
  multiPolygon,
  perimeterKm,
  simplified,
  vertexCount,
  type Parts,
} from './geometry';

export interface ClipOptions {
  /** How far the needed part is grown, in metres. */
  marginMeters: number;
  /** The most vertices (over all rings) the line item's polygon may have. */
  maxVertices: number;
}

/**
 * How far inside the footprint's edge the line item's polygon stays, in metres: far below a pixel, but
 * enough that a "lies within the footprint" check cannot fail on rounding where the two edges meet.
 */
export const FOOTPRINT_INSET_METERS = 0.01;
/** Vertices kept free for the inset, which may add a few where the polygon meets the footprint's edge. */
const INSET_VERTICES = 4;

/** What one line item buys of a needed part, before its margin, and how much of the needed part that covers. */
export interface Region {
  parts: Parts;
  newKm2: number;
  /** Expected area bought: the region and the margin around it. */
  boughtKm2: number;
}

/**
 * A line item carries one polygon, so of a needed part in several pieces it buys either all of them
 * through their hull (paying for what lies between) or the largest piece alone (leaving the others to
 * other scenes): whichever buys less per km² newly covered. The largest piece alone only when `elsewhere` finds
 * another scene for every other piece: a scene is bought once, so the pieces it leaves out it leaves for good.
 */
export function regionToBuy(
  needed: Parts,
  marginMeters: number,
  elsewhere: (piece: Parts) => boolean = () => true,
): Region {
  const withMargin = (parts: Parts) => areaKm2(parts) + (perimeterKm(parts) * marginMeters) / 1000;
  const all = { parts: needed, newKm2: areaKm2(needed) };
  if (needed.length <= 1) return { ...all, boughtKm2: withMargin(needed) };
  const hull = wholeRegion(needed);
  const pieces = needed.map((piece) => ({ parts: [piece], newKm2: areaKm2([piece]) }));
  const largest = pieces.reduce((a, b) => (b.newKm2 > a.newKm2 ? b : a));
  const whole: Region = { parts: hull, newKm2: all.newKm2, boughtKm2: withMargin(hull) };
  const alone: Region = { ...largest, boughtKm2: withMargin(largest.parts) };
  if (whole.boughtKm2 / whole.newKm2 <= alone.boughtKm2 / alone.newKm2) return whole;
  return pieces.every((piece) => piece === largest || elsewhere(piece.parts)) ? alone : whole;
}

export interface LineItemArea {
  /** The polygon the line item carries. */
  geometry: Polygon;
  /** The same before the inset: the area that counts as covered. */
  covers: Parts;
}

/** The line item's polygon for a region, or null when none fits the rules (the scene is then bought whole). */
export function lineItemArea(region: Parts, footprint: Parts, options: ClipOptions): LineItemArea | null {
  const part = intersection(buffered(region, options.marginMeters), footprint);
  if (part.length !== 1) return null;
  const covers = boundedPart(part, footprint, { ...options, maxVertices: options.maxVertices - INSET_VERTICES });
  if (covers === null) return null;
  const inset = intersection(covers, buffered(footprint, -FOOTPRINT_INSET_METERS));
  if (inset.length !== 1 || vertexCount(inset) > options.maxVertices) return null;
  return { geometry: { type: 'Polygon', coordinates: inset[0] }, covers };
}

/**
 * The part with at most maxVertices vertices: simplified with tolerances below half the margin (so the
 * needed area stays inside), else the part's bounding box within the footprint (a superset), else null.
 */
function boundedPart(part: Parts, footprint: Parts, options: ClipOptions): Parts | null {
  const fits = (shape: Parts) => shape.length === 1 && vertexCount(shape) <= options.maxVertices;
  if (fits(part)) return part;
  for (let meters = options.marginMeters / 8; meters <= options.marginMeters / 2; meters *= 2) {
    const simpler = intersection(simplified(part, meters), footprint);
    if (fits(simpler)) return simpler;
  }
  const box = intersection(boxParts(boxOf(part)), footprint);
  return fits(box) ? box : null;
}

/** All of a needed part as one region: itself, or its pieces through their hull. */
export function wholeRegion(needed: Parts): Parts {
  return needed.length <= 1 ? needed : hullOf(needed);
}

function hullOf(parts: Parts): Parts {
  const hull = convex(multiPolygon(parts));
  return hull ? [hull.geometry.coordinates] : parts;
}
