/**
 * `coverage.svg`: a map of a coverage plan drawn from its GeoJSON with d3-geo. The area of interest
 * outlined, the chosen footprints dashed, the parts bought shaded by acquisition date (imagery already
 * owned in grey), the uncovered remainder hatched; beside the map the figures, the picks, a legend and a
 * scale bar. Pure: returns the document as a string.
 */
import { geoAzimuthalEqualArea, geoCentroid, geoDistance, geoPath, type GeoProjection } from 'd3-geo';
import bbox from '@turf/bbox';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import pointOnFeature from '@turf/point-on-feature';
import rewind from '@turf/rewind';
import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import type { Aoi } from './aoi';
import type { CoveragePick, CoveragePlan } from './plan';
import { coverageFigures, formatKm2 } from './report-figures';

export interface CoverageSvgOptions {
  title?: string;
  /** Shown after amounts. */
  currency?: string;
}

const WIDTH = 1100;
const HEIGHT = 760;
const MAP = { x: 20, y: 70, width: 700, height: 670 };
const PANEL_X = 745;
const EARTH_RADIUS_KM = 6371.0088;
/** Oldest to newest acquisition (viridis stops: readable in grey and by most colour-blind readers). */
const DATE_RAMP = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];
const OWNED_FILL = '#9e9e9e';
const UNCOVERED = '#d7301f';
const MAX_LISTED_PICKS = 14;
/** Points per side of the grid a label's place is looked for on. */
const LABEL_GRID = 12;

export function coverageSvg(aoi: Aoi, plan: CoveragePlan, options: CoverageSvgOptions = {}): string {
  const projection = fittedProjection(aoi);
  const path = geoPath(projection).digits(1);
  const draw = (geometry: Geometry) => path(forD3(geometry)) ?? '';
  const dates = dateRange(plan.picks);
  const colour = (pick: CoveragePick) => (pick.owned ? OWNED_FILL : rampColour(dates.position(pick.datetime)));
  const boughtShapes = plan.picks.map(
    (pick) =>
      `<path d="${draw(pick.geometry ?? pick.footprint)}" fill="${colour(pick)}" fill-opacity="0.72" stroke="${colour(pick)}" stroke-width="0.6"/>`,
  );
  const footprints = plan.picks.map(
    (pick) =>
      `<path d="${draw(pick.footprint)}" fill="none" stroke="#37474f" stroke-width="0.9" stroke-dasharray="5 3"/>`,
  );
  const labels = plan.picks.map((pick, i) => {
    const xy = projection(labelPoint(pick.geometry ?? pick.footprint));
    return xy ? `<text x="${xy[0].toFixed(1)}" y="${xy[1].toFixed(1)}" class="label">${i + 1}</text>` : '';
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif">`,
    '<style>text{fill:#212121;font-size:13px}.small{font-size:11.5px;fill:#424242}.title{font-size:19px;font-weight:bold}' +
      '.head{font-size:14px;font-weight:bold}.label{font-size:12px;font-weight:bold;text-anchor:middle;dominant-baseline:central;' +
      'fill:#fff;stroke:#212121;stroke-width:2.5px;paint-order:stroke}</style>',
    '<defs>',
    `<pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="${UNCOVERED}" fill-opacity="0.12"/><line x1="0" y1="0" x2="0" y2="8" stroke="${UNCOVERED}" stroke-width="2.2"/></pattern>`,
    `<linearGradient id="dates" x1="0" x2="1" y1="0" y2="0">${DATE_RAMP.map((c, i) => `<stop offset="${i / (DATE_RAMP.length - 1)}" stop-color="${c}"/>`).join('')}</linearGradient>`,
    `<clipPath id="map"><rect x="${MAP.x}" y="${MAP.y}" width="${MAP.width}" height="${MAP.height}"/></clipPath>`,
    '</defs>',
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MAP.x}" y="32" class="title">${escapeXml(options.title ?? 'Coverage of the area of interest')}</text>`,
    `<text x="${MAP.x}" y="54" class="small">${escapeXml(coverageFigures(plan, options.currency)[0])}</text>`,
    `<rect x="${MAP.x}" y="${MAP.y}" width="${MAP.width}" height="${MAP.height}" fill="#f4f6f4" stroke="#bdbdbd"/>`,
    '<g clip-path="url(#map)">',
    ...boughtShapes,
    `<path d="${draw(plan.uncovered)}" fill="url(#hatch)" stroke="${UNCOVERED}" stroke-width="0.8"/>`,
    ...footprints,
    `<path d="${draw(aoi.geometry)}" fill="none" stroke="#000000" stroke-width="2.4"/>`,
    ...labels,
    '</g>',
    scaleBar(projection),
    ...panel(plan, options, dates),
    '</svg>',
    '',
  ].join('\n');
}

/** An equal-area projection centred on the area, fitted to it with a margin around. */
function fittedProjection(aoi: Aoi): GeoProjection {
  const [west, south, east, north] = aoi.box;
  const centre: [number, number] = [(west + east) / 2, (south + north) / 2];
  const pad = 24;
  return geoAzimuthalEqualArea()
    .rotate([-centre[0], -centre[1]])
    .fitExtent(
      [
        [MAP.x + pad, MAP.y + pad],
        [MAP.x + MAP.width - pad, MAP.y + MAP.height - pad],
      ],
      forD3(aoi.geometry),
    );
}

/**
 * Where a shape's number goes: its centroid if that lies on the shape, else the point of a grid over the
 * shape's box nearest to the centroid that does (else any point on the shape).
 */
function labelPoint(shape: Polygon | MultiPolygon): [number, number] {
  const centroid = geoCentroid(forD3(shape));
  if (booleanPointInPolygon(centroid, shape)) return centroid;
  const [west, south, east, north] = bbox(shape);
  const steps = Array.from({ length: LABEL_GRID + 1 }, (_, i) => i / LABEL_GRID);
  const inside = steps
    .flatMap((u) => steps.map((v): [number, number] => [west + u * (east - west), south + v * (north - south)]))
    .filter((point) => booleanPointInPolygon(point, shape));
  const distance = ([x, y]: [number, number]) => Math.hypot(x - centroid[0], y - centroid[1]);
  if (inside.length > 0) return inside.reduce((a, b) => (distance(b) < distance(a) ? b : a));
  return pointOnFeature(shape).geometry.coordinates as [number, number];
}

/** d3-geo reads polygons on the sphere and wants exterior rings clockwise, the reverse of RFC 7946. */
function forD3(geometry: Geometry): Geometry {
  return rewind(geometry, { reverse: true }) as Geometry;
}

/** A bar of a round length near a quarter of the map's width, measured on the ground at the map's centre. */
function scaleBar(projection: GeoProjection): string {
  const y = MAP.y + MAP.height - 28;
  const x = MAP.x + 20;
  const centreY = MAP.y + MAP.height / 2;
  const a = projection.invert?.([MAP.x + MAP.width / 2 - 50, centreY]);
  const b = projection.invert?.([MAP.x + MAP.width / 2 + 50, centreY]);
  if (!a || !b) return '';
  const kmPerPixel = (geoDistance(a, b) * EARTH_RADIUS_KM) / 100;
  const km = roundLength((MAP.width / 4) * kmPerPixel);
  const width = km / kmPerPixel;
  const half = width / 2;
  return [
    `<rect x="${x - 8}" y="${y - 22}" width="${width + 48}" height="36" fill="#ffffff" fill-opacity="0.85"/>`,
    `<rect x="${x}" y="${y}" width="${half.toFixed(1)}" height="6" fill="#212121"/>`,
    `<rect x="${(x + half).toFixed(1)}" y="${y}" width="${half.toFixed(1)}" height="6" fill="#ffffff" stroke="#212121"/>`,
    `<text x="${x}" y="${y - 6}" class="small">0</text>`,
    `<text x="${(x + width).toFixed(1)}" y="${y - 6}" class="small" text-anchor="middle">${formatLength(km)}</text>`,
  ].join('\n');
}

/** 1, 2 or 5 times a power of ten, at most `km`. */
function roundLength(km: number): number {
  const power = 10 ** Math.floor(Math.log10(km));
  const step = [5, 2, 1].find((s) => s * power <= km) ?? 1;
  return step * power;
}

function formatLength(km: number): string {
  return km >= 1 ? `${km} km` : `${Math.round(km * 1000)} m`;
}

function panel(plan: CoveragePlan, options: CoverageSvgOptions, dates: DateRange): string[] {
  const lines: string[] = [];
  let y = MAP.y + 14;
  const text = (content: string, cls = 'small', dx = 0) => {
    lines.push(`<text x="${PANEL_X + dx}" y="${y}" class="${cls}">${escapeXml(content)}</text>`);
    y += cls === 'head' ? 22 : 18;
  };
  text('Figures', 'head');
  for (const line of coverageFigures(plan, options.currency).slice(1)) text(line);
  y += 12;
  text('Legend', 'head');
  const swatch = (draw: string, label: string) => {
    lines.push(`<g transform="translate(${PANEL_X},${y - 11})">${draw}</g>`);
    text(label, 'small', 36);
  };
  swatch('<rect width="26" height="12" fill="none" stroke="#000" stroke-width="2.4"/>', 'area of interest');
  swatch(
    '<rect width="26" height="12" fill="none" stroke="#37474f" stroke-dasharray="5 3"/>',
    'footprint of a chosen scene',
  );
  swatch('<rect width="26" height="12" fill="url(#dates)"/>', 'part bought, coloured by acquisition date');
  if (plan.picks.some((p) => p.owned)) {
    swatch(`<rect width="26" height="12" fill="${OWNED_FILL}" fill-opacity="0.72"/>`, 'imagery already owned');
  }
  swatch(`<rect width="26" height="12" fill="url(#hatch)" stroke="${UNCOVERED}"/>`, 'not covered');
  lines.push(`<rect x="${PANEL_X}" y="${y - 4}" width="300" height="12" fill="url(#dates)"/>`);
  y += 22;
  lines.push(`<text x="${PANEL_X}" y="${y}" class="small">${dates.first}</text>`);
  lines.push(`<text x="${PANEL_X + 300}" y="${y}" class="small" text-anchor="end">${dates.last}</text>`);
  y += 30;
  text('Chosen scenes, in the order taken', 'head');
  plan.picks.slice(0, MAX_LISTED_PICKS).forEach((pick, i) => {
    const what = pick.owned ? 'owned' : `${pick.geometry ? 'clipped' : 'whole'}, ${pick.price}`;
    text(`${i + 1}. ${pick.datetime.slice(0, 10)} ${pick.item}: +${formatKm2(pick.newKm2)} (${what})`);
  });
  if (plan.picks.length > MAX_LISTED_PICKS) text(`… and ${plan.picks.length - MAX_LISTED_PICKS} more`);
  return lines;
}

interface DateRange {
  first: string;
  last: string;
  /** 0 for the oldest pick, 1 for the newest. */
  position(datetime: string): number;
}

function dateRange(picks: CoveragePick[]): DateRange {
  const times = picks.map((p) => Date.parse(p.datetime)).filter((t) => Number.isFinite(t));
  const [oldest, newest] = times.length > 0 ? [Math.min(...times), Math.max(...times)] : [0, 0];
  const day = (t: number) => (times.length > 0 ? new Date(t).toISOString().slice(0, 10) : '');
  return {
    first: day(oldest),
    last: day(newest),
    position: (datetime) => {
      const t = Date.parse(datetime);
      return newest > oldest && Number.isFinite(t) ? (t - oldest) / (newest - oldest) : 1;
    },
  };
}

function rampColour(position: number): string {
  const scaled = Math.min(1, Math.max(0, position)) * (DATE_RAMP.length - 1);
  const i = Math.min(DATE_RAMP.length - 2, Math.floor(scaled));
  const [from, to] = [rgb(DATE_RAMP[i]), rgb(DATE_RAMP[i + 1])];
  const mix = from.map((c, k) => Math.round(c + (to[k] - c) * (scaled - i)));
  return `#${mix.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

function rgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
