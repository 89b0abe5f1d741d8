/**
 * `coverage.geojson`: the area of interest (with the plan's figures), each pick (the part bought, or the
 * whole footprint) with its footprint when clipped, and the uncovered remainder, as one FeatureCollection.
 * Pure: returns the document as a string.
 */
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { Aoi } from './aoi';
import type { CoveragePlan } from './plan';

export function coverageGeoJson(aoi: Aoi, plan: CoveragePlan): string {
  const { picks, uncovered, baselines, ...figures } = plan;
  const features: Feature[] = [
    feature(aoi.geometry, {
      role: 'aoi',
      ...figures,
      ...baselines,
      aoiKm2: km2(figures.aoiKm2),
      coveredKm2: km2(figures.coveredKm2),
      boughtKm2: km2(figures.boughtKm2),
      pickCount: picks.length,
    }),
  ];
  picks.forEach((pick, i) => {
    const { footprint, geometry, ...rest } = pick;
    const rank = i + 1;
    features.push(
      feature(geometry ?? footprint, {
        role: 'pick',
        rank,
        ...rest,
        clipped: geometry !== null,
        boughtKm2: km2(pick.boughtKm2),
        newKm2: km2(pick.newKm2),
      }),
    );
    if (geometry !== null)
      features.push(feature(footprint, { role: 'footprint', rank, collection: pick.collection, item: pick.item }));
  });
  features.push(feature(uncovered, { role: 'uncovered', areaKm2: km2(Math.max(0, plan.aoiKm2 - plan.coveredKm2)) }));
  const collection: FeatureCollection = { type: 'FeatureCollection', features };
  return `${JSON.stringify(collection)}\n`;
}

function feature(geometry: Geometry, properties: Record<string, unknown>): Feature {
  return { type: 'Feature', properties, geometry };
}

/** Areas to the square metre: more digits would only be noise. */
function km2(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
