import type { FeatureCollection } from 'geojson';
import { planCoverage } from '../../../src/coverage/plan';
import { reachedPlan } from '../../../src/coverage/reached';
import { coverageGeoJson } from '../../../src/coverage/report-geojson';
import { coverageSvg } from '../../../src/coverage/report-svg';
import { aoiOf, box, km2, scene } from './shapes';

const aoi = aoiOf(box([10, 45, 10.3, 45.2], [10.12, 45.08, 10.16, 45.12]));
const candidates = [
  scene('west', [9.95, 44.95, 10.16, 45.25], { datetime: '2026-02-01T10:00:00Z' }),
  scene('east', [10.14, 44.95, 10.35, 45.25], { datetime: '2026-08-01T10:00:00Z' }),
  scene('south-owned', [10.05, 44.9, 10.2, 45.02], { owned: true }),
];
const plan = planCoverage(aoi, candidates, { minCoveragePct: 95 });

describe('the coverage report', () => {
  test('coverage.svg shows the area, the parts bought, the uncovered rest, a legend and a scale', () => {
    expect(plan.picks.map((p) => p.item)).toEqual(['south-owned', 'east', 'west']);
    const svg = coverageSvg(aoi, plan, { title: 'Fields <north> & co', currency: 'EUR' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Fields &#60;north&#62; &#38; co');
    expect(svg).toContain('<pattern id="hatch"');
    expect(svg).toContain('fill="url(#hatch)"');
    for (const text of [
      'area of interest',
      'footprint of a chosen scene',
      'part bought, coloured by acquisition date',
      'imagery already owned',
      'not covered',
    ]) {
      expect(svg).toContain(text);
    }
    expect(svg).toContain('2026-02-01');
    expect(svg).toContain('2026-08-01');
    expect(svg).toContain(`cost: ${plan.cost} EUR`);
    expect(svg.match(/class="label">\d+<\/text>/g)).toHaveLength(plan.picks.length);
    // The map is fitted to the 24 km wide area, so its scale bar is a few km long. (With rings wound against
    // d3-geo's convention, every polygon is the rest of the globe, and the bar thousands of km.)
    const scale = svg.match(/text-anchor="middle">(\d+) (k?m)<\/text>/);
    expect(scale?.[2]).toBe('km');
    expect(Number(scale?.[1])).toBeGreaterThanOrEqual(2);
    expect(Number(scale?.[1])).toBeLessThanOrEqual(10);
    expect(coverageSvg(aoi, plan, { title: 'Fields <north> & co', currency: 'EUR' })).toBe(svg);
  });

  test('coverage.geojson holds the area with the figures, each pick, clipped footprints and the rest', () => {
    const doc = JSON.parse(coverageGeoJson(aoi, plan)) as FeatureCollection;
    expect(doc.type).toBe('FeatureCollection');
    const roles = doc.features.map((f) => f.properties?.role);
    const clipped = plan.picks.filter((p) => p.geometry !== null).length;
    expect(roles.filter((r) => r === 'aoi')).toHaveLength(1);
    expect(roles.filter((r) => r === 'pick')).toHaveLength(plan.picks.length);
    expect(roles.filter((r) => r === 'footprint')).toHaveLength(clipped);
    expect(roles.filter((r) => r === 'uncovered')).toHaveLength(1);
    const area = doc.features[0];
    expect(area.geometry).toEqual(aoi.geometry);
    expect(area.properties).toMatchObject({
      cost: plan.cost,
      naiveCost: plan.baselines?.naiveCost,
      clippedCost: plan.baselines?.clippedCost,
      stoppedBy: 'target',
      pickCount: plan.picks.length,
    });
    const picks = doc.features.filter((f) => f.properties?.role === 'pick');
    expect(picks.map((f) => [f.properties?.rank, f.properties?.item, f.properties?.price])).toEqual(
      plan.picks.map((p, i) => [i + 1, p.item, p.price]),
    );
    expect(picks[0].properties).toMatchObject({ owned: true, clipped: false });
    expect(picks[0].geometry).toEqual(candidates[2].footprint);
  });
});

describe('the coverage reached, for a report after buying', () => {
  test('with every pick it is the plan again; without one, less covered, cheaper, the gap uncovered', () => {
    const { uncovered, ...record } = plan;
    const all = reachedPlan(aoi, record, plan.picks);
    expect(all.coveragePct).toBeCloseTo(plan.coveragePct, 2);
    expect(all.cost).toBe(plan.cost);
    expect(km2(all.uncovered)).toBeCloseTo(km2(uncovered), 2);

    const [, east, west] = plan.picks;
    const withoutEast = reachedPlan(aoi, record, [plan.picks[0], west]);
    expect(withoutEast.picks.map((p) => p.item)).toEqual(['south-owned', 'west']);
    expect(withoutEast.cost).toBe(west.price);
    expect(withoutEast.boughtKm2).toBeCloseTo(west.boughtKm2, 9);
    // West was chosen after east, so it may reach a little (its margin) into what east covered.
    expect(withoutEast.coveragePct).toBeGreaterThanOrEqual(plan.coveragePct - (100 * east.newKm2) / aoi.areaKm2);
    expect(withoutEast.coveragePct).toBeLessThan(plan.coveragePct - (50 * east.newKm2) / aoi.areaKm2);
    expect(km2(withoutEast.uncovered)).toBeCloseTo(aoi.areaKm2 - withoutEast.coveredKm2, 6);
    expect(withoutEast.targetPct).toBe(plan.targetPct);
  });
});
