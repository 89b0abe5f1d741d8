/** Item and search files of `dcp batch`: each format parses to the same items; malformed files fail with one clear line. */
import { parseItemFile, parseSearch, formatOf } from '../../src/cli/item-files';

const EXPECTED = [
  { collection: 'menut-l1c-cogs', item: 'A1', level: 'L1C' },
  { collection: 'mantis-l1d-cogs', item: 'B2' },
];

test('JSON arrays of objects or strings, STAC FeatureCollections, CSV and NDJSON give the same items', () => {
  expect(parseItemFile(JSON.stringify(EXPECTED), 'json', 'a.json')).toEqual(EXPECTED);
  expect(parseItemFile('["menut-l1c-cogs/A1@L1C", "mantis-l1d-cogs/B2"]', 'json', 'a.json')).toEqual(EXPECTED);
  const stac = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', id: 'A1', collection: 'menut-l1c-cogs', properties: { 'processing:level': 'L1C' } },
      { type: 'Feature', id: 'B2', collection: 'mantis-l1d-cogs', properties: {} },
    ],
  };
  expect(parseItemFile(JSON.stringify(stac), 'json', 'a.geojson')).toEqual(EXPECTED);
  expect(
    parseItemFile('collection,item,level\nmenut-l1c-cogs,A1,L1C\r\n"mantis-l1d-cogs",B2,\n\n', 'csv', 'a.csv'),
  ).toEqual(EXPECTED);
  expect(
    parseItemFile(
      '{"collection":"menut-l1c-cogs","item":"A1","level":"L1C"}\n\n"mantis-l1d-cogs/B2"\n',
      'ndjson',
      'a.ndjson',
    ),
  ).toEqual(EXPECTED);
});

test.each([
  ['json', '[{"collection":"c"', /^a\.json: invalid JSON/],
  ['json', '{"items":[]}', /^a\.json: expected a JSON array of items or a STAC FeatureCollection$/],
  ['json', '[{"collection":"c","item":"x/y"}]', /^a\.json entry 1: missing or invalid "item"$/],
  ['json', '["nonsense"]', /^a\.json entry 1: "nonsense" is not COLLECTION\/ITEM/],
  ['json', '[]', /^a\.json: no items$/],
  ['csv', 'collection,id\nc,x\n', /^a\.csv line 1: expected a header with "collection" and "item" columns/],
  ['csv', 'collection,item\nc,x\nc,y,z\n', /^a\.csv line 3: 3 columns, the header has 2$/],
  ['csv', 'collection,item\nc,\n', /^a\.csv line 2: missing or invalid "item"$/],
  ['ndjson', '{"collection":"c","item":"x"}\n{oops}\n', /^a\.ndjson line 2: invalid JSON/],
  ['ndjson', '{"collection":"c","item":"x","level":3}\n', /^a\.ndjson line 1: "level" must be a string$/],
] as const)('%s %j is refused clearly', (format, text, message) => {
  expect(() => parseItemFile(text, format, `a.${format}`)).toThrow(message);
});

test('file types come from the extension; others are refused', () => {
  expect(formatOf('x/items.JSONL')).toBe('ndjson');
  expect(() => formatOf('items.txt')).toThrow('items.txt: unknown item file type ".txt" (use .json, .csv or .ndjson)');
});

test('search files: STAC fields and maxItems (or limit); unknown or malformed fields are refused', () => {
  expect(parseSearch('{"collections":["c"],"bbox":[1,2,3,4],"limit":20}', 's.json')).toEqual({
    collections: ['c'],
    bbox: [1, 2, 3, 4],
    maxItems: 20,
  });
  expect(() => parseSearch('{"colections":["c"]}', 's.json')).toThrow(
    /^s\.json: unknown search field\(s\) "colections"/,
  );
  expect(() => parseSearch('{"bbox":[1,2]}', 's.json')).toThrow('s.json: "bbox" must be [west, south, east, north]');
  expect(() => parseSearch('{"maxItems":0}', 's.json')).toThrow('s.json: "maxItems" must be a positive whole number');
});
