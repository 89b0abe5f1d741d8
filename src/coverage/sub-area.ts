/**
 * The sub-area of one named scene inside an area of interest, cut as a coverage batch cuts its picks (the needed
 * part grown by the margin, kept inside the footprint, one Polygon with a bounded number of vertices): what
 * `dcp quote --aoi` prices and `dcp buy --aoi` buys. All of the area inside the scene, its pieces through their
 * hull: a batch may buy a scene's largest piece alone and leave the rest to other scenes, but a named scene has no
 * others. Pure.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { Aoi } from './aoi';
import { lineItemArea, wholeRegion } from './clip';
import { areaKm2, intersection, toParts } from './geometry';
import { DEFAULT_MARGIN_METERS, DEFAULT_MAX_CLIP_VERTICES } from './plan';

export type SceneSubArea =
  | { kind: 'part'; geometry: Polygon; areaKm2: number }
  /** The part cannot be one polygon within the rules: the scene is bought whole, as a coverage batch would. */
  | { kind: 'whole'; areaKm2: number }
  | { kind: 'outside' };

export function sceneSubArea(aoi: Aoi, footprint: Polygon | MultiPolygon): SceneSubArea {
  const scene = toParts(footprint);
  const needed = intersection(aoi.geometry.coordinates, scene);
  if (areaKm2(needed) <= 0) return { kind: 'outside' };
  const area = lineItemArea(wholeRegion(needed), scene, {
    marginMeters: DEFAULT_MARGIN_METERS,
    maxVertices: DEFAULT_MAX_CLIP_VERTICES,
  });
  return area === null
    ? { kind: 'whole', areaKm2: areaKm2(scene) }
    : { kind: 'part', geometry: area.geometry, areaKm2: areaKm2([area.geometry.coordinates]) };
}
