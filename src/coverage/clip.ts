/**
 * The sub-area one line item buys: the part of a scene's footprint the selection needs, grown by a small
 * margin so that neighbouring parts overlap instead of leaving hairline gaps, kept just inside the
 * footprint (a "lies within the footprint" check cannot then fail on rounding), as one Polygon (the API
 * takes a Polygon) with a bounded number of vertices. Pure.
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

/** How far inside the footprint's edge the sub-area stays, in metres. */
export const FOOTPRINT_INSET_METERS = 1;
const METERS_PER_DEGREE_OF_LATITUDE = 111_320;

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
 * other scenes): whichever buys less per km² newly covered.
 */
export function regionToBuy(needed: Parts, marginMeters: number): Region {
  const withMargin = (parts: Parts) => areaKm2(parts) + (perimeterKm(parts) * marginMeters) / 1000;
  const all = { parts: needed, newKm2: areaKm2(needed) };
  if (needed.length <= 1) return { ...all, boughtKm2: withMargin(needed) };
  const hull = hullOf(needed);
  const pieces = needed.map((piece) => ({ parts: [piece], newKm2: areaKm2([piece]) }));
  const largest = pieces.reduce((a, b) => (b.newKm2 > a.newKm2 ? b : a));
  const options: Region[] = [
    { parts: hull, newKm2: all.newKm2, boughtKm2: withMargin(hull) },
    { ...largest, boughtKm2: withMargin(largest.parts) },
  ];
  return options[0].boughtKm2 / options[0].newKm2 <= options[1].boughtKm2 / options[1].newKm2 ? options[0] : options[1];
}

/** The line item's polygon for a region, or null when none fits the rules (the scene is then bought whole). */
export function lineItemGeometry(region: Parts, footprint: Parts, options: ClipOptions): Polygon | null {
  const inside = buffered(footprint, -FOOTPRINT_INSET_METERS);
  const part = intersection(buffered(region, options.marginMeters), inside);
  if (part.length !== 1) return null;
  return boundedPolygon(part, inside, options);
}

/**
 * The part with at most maxVertices vertices: simplified with tolerances below half the margin (so the
 * needed area stays inside), else the part's bounding box within the footprint (a superset), else null.
 */
function boundedPolygon(part: Parts, inside: Parts, options: ClipOptions): Polygon | null {
  const fits = (shape: Parts) => shape.length === 1 && vertexCount(shape) <= options.maxVertices;
  if (fits(part)) return polygon(part);
  for (let meters = options.marginMeters / 8; meters <= options.marginMeters / 2; meters *= 2) {
    const tolerance = meters / METERS_PER_DEGREE_OF_LATITUDE;
    const simpler = intersection(simplified(part, tolerance), inside);
    if (fits(simpler)) return polygon(simpler);
  }
  const box = intersection(boxParts(boxOf(part)), inside);
  return fits(box) ? polygon(box) : null;
}

function hullOf(parts: Parts): Parts {
  const hull = convex(multiPolygon(parts));
  return hull ? [hull.geometry.coordinates] : parts;
}

function polygon(parts: Parts): Polygon {
  return { type: 'Polygon', coordinates: parts[0] };
}
