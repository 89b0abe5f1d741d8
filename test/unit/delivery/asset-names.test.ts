import { assetFileNames } from '../../../src/activities/asset-names';

test("an item's assets keep their file names; two that share one are told apart by their asset keys", () => {
  const names = assetFileNames({
    visual: { href: 'https://data.example/i/visual.tif' },
    B01: { href: 'https://data.example/i/B01/data.tif' },
    'B 02': { href: 'https://data.example/i/B02/data.tif?token=x' },
    metadata: { href: '/i/metadata.json' },
  });
  expect(Object.fromEntries(names)).toEqual({
    visual: 'visual.tif',
    B01: 'B01-data.tif',
    'B 02': 'B_02-data.tif',
    metadata: 'metadata.json',
  });
});
