/**
 * Line items cut to an area of interest (`dcp quote --aoi`, `dcp buy --aoi`): each named scene's footprint is read
 * from the catalog and cut as a coverage batch cuts its picks; a scene whose part cannot be one polygon within the
 * rules is bought whole, and one outside the area is refused before anything is priced or ordered.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { lookUpCatalogItems } from '../activities/pricing';
import type { Aoi } from '../coverage/aoi';
import type { DataCosmosClient } from '../datacosmos';
import { CliError, ExitCode } from '../shared/errors';
import { itemKey } from '../shared/item-key';
import type { LineItemInput } from '../shared/purchase-types';

export interface AreaLineItems {
  lines: LineItemInput[];
  /** By item key: the area bought, in km² (the scene's own when it is bought whole). */
  areasKm2: Record<string, number>;
}

export async function areaLineItems(
  client: DataCosmosClient,
  contractId: number | undefined,
  items: LineItemInput[],
  aoi: Aoi,
  signal: AbortSignal,
): Promise<AreaLineItems> {
  const catalog = await lookUpCatalogItems(client, contractId, items, signal);
  // The geometry libraries load only when a command is given an area (about 40 ms of CPU a run otherwise).
  const { sceneSubArea } = require('../coverage/sub-area') as typeof import('../coverage/sub-area');
  const areasKm2: Record<string, number> = {};
  const lines = items.map((line) => {
    const key = itemKey(line);
    const footprint = catalog.get(key)?.geometry;
    if (footprint?.type !== 'Polygon' && footprint?.type !== 'MultiPolygon') {
      throw new CliError(`unknown item ${key}, or the catalog gives it no footprint`, ExitCode.API_ERROR);
    }
    const part = sceneSubArea(aoi, footprint as Polygon | MultiPolygon);
    if (part.kind === 'outside') throw new CliError(`${key} does not overlap the area of interest`, ExitCode.USAGE);
    areasKm2[key] = part.areaKm2;
    return part.kind === 'part' ? { ...line, geometry: part.geometry as LineItemInput['geometry'] } : line;
  });
  return { lines, areasKm2 };
}
