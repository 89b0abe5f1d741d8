/**
 * Coverage planning bench: generated areas of interest of several sizes over generated scenes with
 * overlapping footprints of several sizes, dates and price rates (all from one seed, so every run sees
 * the same input). For each area: the plan's cost against buying every intersecting scene whole and
 * against buying them all clipped to the area, at the plan's coverage; and the planning time for
 * 10,000 candidates. `npx tsx bench/coverage.ts [--seed N]` prints the table.
 */
import fs from 'node:fs';
import type { Polygon, Position } from 'geojson';
import { aoiFromGeoJson, type Aoi } from '../src/coverage/aoi';
import { coverageBaselines, type CoverageBaselines } from '../src/coverage/baselines';
import { planCoverage, type CoverageCandidate, type CoveragePlan } from '../src/coverage/plan';
import { coverageSvg } from '../src/coverage/report-svg';
import { mulberry32 } from '../simulator/prng';
import { round } from '../harness/stats';

export interface CoverageBenchRow {
  area: string;
  aoiKm2: number;
  candidates: number;
  intersecting: number;
  picks: number;
  coveragePct: number;
  cost: string;
  naiveCost: string;
  clippedCost: string;
  wholeScenesCost: string;
  /** cost / naiveCost: target at most 0.5. */
  vsNaive: number;
  vsClipped: number;
  /** Time to plan (the selection, with its uncovered remainder), and the processor time it took (the same
   * on an idle machine, less than the wall time on a busy one). */
  planMs: number;
  planCpuMs: number;
  /** Time to work out the two baselines, apart from the plan. */
  baselinesMs: number;
}

export interface CoverageBenchResult {
  seed: number;
  rows: CoverageBenchRow[];
  /** Targets of the issue: cost <= 0.5 x naive at >= 98 % coverage; under 5 s for 10,000 candidates. */
  targetsMet: boolean;
}

/** One kind of scene: footprint side, price per km² (each collection images and prices differently). */
const COLLECTIONS = [
  { collection: 'menut-l1c-cogs', sideKm: 12, perKm2: '1.80' },
  { collection: 'mantis-l1d-cogs', sideKm: 25, perKm2: '1.10' },
  { collection: 'hammer-l1c-cogs', sideKm: 40, perKm2: '0.70' },
  { collection: 'platero-l1c-cogs', sideKm: 60, perKm2: '0.45' },
];

/** Candidate counts give each point of an area about six scenes (what a few months of a search return). */
const AREAS = [
  { area: 'small', radiusKm: 4, vertices: 24, candidates: 16, hole: false },
  { area: 'medium', radiusKm: 22, vertices: 120, candidates: 60, hole: false },
  { area: 'large', radiusKm: 70, vertices: 600, candidates: 300, hole: true },
  { area: 'large, 10,000 candidates', radiusKm: 70, vertices: 600, candidates: 10_000, hole: true },
];

const CENTRE: Position = [2.35, 41.6];
/** About this many scenes of each set are already owned. */
const OWNED_SCENES = 2;

export function runCoverageBench(seed = 15): CoverageBenchResult {
  const rows = AREAS.map((spec, i) => {
    const { aoi, candidates } = coverageScenario(seed, i);
    const started = { wall: performance.now(), cpu: process.cpuUsage() };
    const plan = planCoverage(aoi, candidates, { minCoveragePct: 98, baselines: false });
    const cpu = process.cpuUsage(started.cpu);
    const planMs = Math.round(performance.now() - started.wall);
    const planCpuMs = Math.round((cpu.user + cpu.system) / 1000);
    const baselinesStarted = performance.now();
    const baselines = coverageBaselines(aoi, candidates);
    const baselinesMs = Math.round(performance.now() - baselinesStarted);
    const wholeScenes = planCoverage(aoi, candidates, { minCoveragePct: 98, clip: false, baselines: false });
    return rowOf(spec.area, aoi, candidates.length, plan, baselines, wholeScenes, { planMs, planCpuMs, baselinesMs });
  });
  const targetsMet = rows.every(
    (r) => r.coveragePct >= 98 && r.vsNaive <= 0.5 && (r.candidates < 10_000 || r.planMs < 5000),
  );
  return { seed, rows, targetsMet };
}

/** The generated area and candidates of one row of the bench (0 small, 1 medium, 2 large, 3 the 10,000). */
export function coverageScenario(seed: number, index: number): { aoi: Aoi; candidates: CoverageCandidate[] } {
  const spec = AREAS[index];
  const random = mulberry32(seed * 1000 + index);
  const aoi = generatedAoi(random, spec.radiusKm, spec.vertices, spec.hole);
  return { aoi, candidates: generatedScenes(random, spec.radiusKm, spec.candidates) };
}

function rowOf(
  area: string,
  aoi: Aoi,
  candidates: number,
  plan: CoveragePlan,
  baselines: CoverageBaselines,
  wholeScenes: CoveragePlan,
  times: Pick<CoverageBenchRow, 'planMs' | 'planCpuMs' | 'baselinesMs'>,
): CoverageBenchRow {
  return {
    area,
    aoiKm2: round(aoi.areaKm2, 1),
    candidates,
    intersecting: baselines.intersecting,
    picks: plan.picks.length,
    coveragePct: round(plan.coveragePct, 2),
    cost: plan.cost,
    naiveCost: baselines.naiveCost,
    clippedCost: baselines.clippedCost,
    wholeScenesCost: wholeScenes.cost,
    vsNaive: round(Number(plan.cost) / Number(baselines.naiveCost), 4),
    vsClipped: round(Number(plan.cost) / Number(baselines.clippedCost), 4),
    ...times,
  };
}

export function coverageBenchTable(result: CoverageBenchResult): string {
  const header = [
    'area',
    'AOI km²',
    'candidates',
    'intersecting',
    'picks',
    'coverage %',
    'cost',
    'naive (whole)',
    'all clipped',
    'greedy whole',
    'vs naive',
    'vs clipped',
    'plan ms',
    'plan cpu ms',
    'baselines ms',
  ];
  const lines = result.rows.map((r) =>
    [
      r.area,
      r.aoiKm2,
      r.candidates,
      r.intersecting,
      r.picks,
      r.coveragePct,
      r.cost,
      r.naiveCost,
      r.clippedCost,
      r.wholeScenesCost,
      r.vsNaive,
      r.vsClipped,
      r.planMs,
      r.planCpuMs,
      r.baselinesMs,
    ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    format(header),
    ...lines.map(format),
    `seed ${result.seed}; targets (cost <= 0.5 x naive at >= 98 %, 10,000 candidates planned in < 5 s): ${
      result.targetsMet ? 'met' : 'NOT met'
    }`,
  ].join('\n');
}

/** An irregular blob around CENTRE (radius varying by a few smooth waves), with a lake when asked. */
function generatedAoi(random: () => number, radiusKm: number, vertices: number, hole: boolean): Aoi {
  const waves = [1, 2, 3].map((k) => ({ k: k + 1, amplitude: 0.06 + random() * 0.08, phase: random() * 2 * Math.PI }));
  const outer = ring(
    vertices,
    (angle) => radiusKm * (1 + waves.reduce((s, w) => s + w.amplitude * Math.sin(w.k * angle + w.phase), 0)),
  );
  const rings = [outer];
  if (hole) rings.push(ring(32, () => radiusKm * 0.15).reverse());
  return aoiFromGeoJson({ type: 'Polygon', coordinates: rings }, 'generated');
}

function ring(vertices: number, radiusAt: (angle: number) => number): Position[] {
  const positions = Array.from({ length: vertices }, (_, i) => {
    const angle = (2 * Math.PI * i) / vertices;
    return offset(CENTRE, radiusAt(angle) * Math.cos(angle), radiusAt(angle) * Math.sin(angle));
  });
  return [...positions, positions[0]];
}

/** Rotated squares of the collections' sizes over the AOI and its surroundings, a year of dates. */
function generatedScenes(random: () => number, radiusKm: number, count: number): CoverageCandidate[] {
  const start = Date.parse('2026-01-01T00:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const kind = COLLECTIONS[Math.floor(random() * COLLECTIONS.length)];
    const reach = radiusKm * 1.2 + kind.sideKm / 2;
    const [east, north] = [(random() * 2 - 1) * reach, (random() * 2 - 1) * reach];
    const heading = ((random() * 2 - 1) * 12 * Math.PI) / 180;
    const side = kind.sideKm * (0.8 + random() * 0.4);
    return {
      collection: kind.collection,
      item: `scene-${String(i).padStart(5, '0')}`,
      footprint: square(offset(CENTRE, east, north), side, heading),
      datetime: new Date(start + Math.floor(random() * 365) * 86_400_000).toISOString(),
      cloudCover: Math.round(random() * 400) / 10,
      price: { perKm2: kind.perKm2 },
      owned: random() < OWNED_SCENES / count,
    };
  });
}

function square(centre: Position, sideKm: number, heading: number): Polygon {
  const half = sideKm / 2;
  const corners = [
    [-half, -half],
    [half, -half],
    [half, half],
    [-half, half],
  ].map(([x, y]) =>
    offset(centre, x * Math.cos(heading) - y * Math.sin(heading), x * Math.sin(heading) + y * Math.cos(heading)),
  );
  return { type: 'Polygon', coordinates: [[...corners, corners[0]]] };
}

/** A position `eastKm` and `northKm` away (small distances, local flat approximation). */
function offset([lon, lat]: Position, eastKm: number, northKm: number): Position {
  return [lon + eastKm / (111.32 * Math.cos((lat * Math.PI) / 180)), lat + northKm / 110.574];
}

/** The map of the large area's plan (the README's picture: `--example docs/coverage-example.svg`). */
export function coverageExampleSvg(seed = 15): string {
  const { aoi, candidates } = coverageScenario(seed, 2);
  const plan = planCoverage(aoi, candidates, { minCoveragePct: 98 });
  return coverageSvg(aoi, plan, {
    title: `Coverage of a generated ${Math.round(aoi.areaKm2)} km² area`,
    currency: 'EUR',
  });
}

if (require.main === module) {
  const option = (name: string) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const seed = option('--seed') === undefined ? undefined : Number(option('--seed'));
  const example = option('--example');
  if (example) fs.writeFileSync(example, coverageExampleSvg(seed));
  else process.stdout.write(`${coverageBenchTable(runCoverageBench(seed))}\n`);
}
