/** The sub-area of one named scene (`dcp quote --aoi`, `dcp buy --aoi`): all of the area inside it, in one polygon. */
import { sceneSubArea } from '../../../src/coverage/sub-area';
import { areaKm2, difference, intersection, toParts } from '../../../src/coverage/geometry';
import { box, fieldsAoi } from './shapes';

test('two fields inside one scene are both bought, through their hull: there is no other scene to cover one', () => {
  const fields = fieldsAoi([0, 0, 0.012, 0.012], [0.2, 0, 0.209, 0.009]);
  const footprint = box([-0.1, -0.1, 0.3, 0.1]);
  const part = sceneSubArea(fields, footprint);
  expect(part.kind).toBe('part');
  const bought = toParts((part as { geometry: Parameters<typeof toParts>[0] }).geometry);
  const needed = intersection(fields.geometry.coordinates, toParts(footprint));
  // Every km² of both fields is inside the line item (the largest field alone left the other out).
  expect(areaKm2(difference(needed, bought))).toBeLessThan(1e-6);
});
