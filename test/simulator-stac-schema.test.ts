/**
 * What the simulator serves is valid STAC 1.0: a sample of items and all collections validated
 * against the official JSON schemas in test/fixtures/stac-schemas (read at test time, offline), plus
 * the checksum of each asset matching the bytes that storage serves.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createHash } from 'node:crypto';
import { ACME, call, getToken, startInProcess, type InProcessSimulator } from '../harness/simulator';

const SCHEMAS = path.resolve(__dirname, 'fixtures/stac-schemas');
const ITEM = 'https://schemas.stacspec.org/v1.0.0/item-spec/json-schema/item.json#';
const COLLECTION = 'https://schemas.stacspec.org/v1.0.0/collection-spec/json-schema/collection.json#';

function schemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return schemaFiles(full);
    return name.endsWith('.json') ? [full] : [];
  });
}

let ajv: Ajv;
let sim: InProcessSimulator;
let token: string;
beforeAll(async () => {
  ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // STAC uses the IRI formats, which ajv-formats lacks: absolute IRIs must parse as URLs.
  ajv.addFormat('iri', (value: string) => URL.canParse(value));
  ajv.addFormat('iri-reference', (value: string) => URL.canParse(value, 'http://base.invalid/'));
  for (const file of schemaFiles(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')));
  sim = await startInProcess({ items: 400 });
  token = await getToken(sim.url, ACME);
});
afterAll(() => sim.close());

/** Core STAC schema, then the schema of every declared extension we have a copy of. */
function validate(document: { stac_extensions?: string[] }, core: string): void {
  const schemas = [core, ...(document.stac_extensions ?? [])]
    .map((id) => ajv.getSchema(id))
    .filter(Boolean) as ValidateFunction[];
  expect(schemas.length).toBeGreaterThan(1);
  for (const check of schemas) {
    const valid = check(document);
    if (!valid) throw new Error(`${(document as { id?: string }).id}: ${ajv.errorsText(check.errors)}`);
  }
}

test('collections are valid STAC collections and include the four DataCosmos collections', async () => {
  const res = await call(sim.url, 'GET', '/api/data/v0/stac/collections', { token });
  const ids = res.body.collections.map((c: { id: string }) => c.id);
  expect(ids).toEqual(
    expect.arrayContaining(['menut-l1c-cogs', 'mantis-l1d-cogs', 'hammer-l1c-cogs', 'platero-l1c-cogs']),
  );
  for (const collection of res.body.collections) validate(collection, COLLECTION);
  const one = await call(sim.url, 'GET', '/api/data/v0/stac/collections/mantis-l1d-cogs', { token });
  validate(one.body, COLLECTION);
  expect(one.body.summaries['processing:level']).toEqual(['L1D']);
});

test('a sample of items (with and without prices) are valid STAC items with the declared extensions', async () => {
  const plain = await call(sim.url, 'POST', '/api/data/v0/stac/search', { token, body: { limit: 60 } });
  const priced = await call(sim.url, 'POST', '/api/data/v0/stac/search', {
    token,
    body: { limit: 20, contract_id: 5001 },
  });
  for (const item of [...plain.body.features, ...priced.body.features]) {
    validate(item, ITEM);
    expect(item.stac_extensions).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/eo/'),
        expect.stringContaining('/processing/'),
        expect.stringContaining('/file/'),
      ]),
    );
    const level = item.collection === 'mantis-l1d-cogs' ? 'L1D' : 'L1C';
    expect(item.properties['processing:level']).toBe(level);
    expect(item.id).toMatch(/^[A-Z]+_\d{8}T\d{6}_L1[CD]_\d{4}$/);
  }
  const single = await call(
    sim.url,
    'GET',
    `/api/data/v0/stac/collections/${plain.body.features[0].collection}/items/${plain.body.features[0].id}`,
    { token },
  );
  expect(single.body).toEqual(plain.body.features[0]);
  expect(
    (await call(sim.url, 'GET', '/api/data/v0/stac/collections/menut-l1c-cogs/items/NOPE', { token })).status,
  ).toBe(404);
});

test('the catalog is the same for the same seed and differs for another', async () => {
  const again = await startInProcess({ items: 400 });
  const other = await startInProcess({ items: 400, seed: 7 });
  try {
    const ids = async (url: string) => {
      const t = await getToken(url, ACME);
      return (await call(url, 'POST', '/api/data/v0/stac/search', { token: t, body: { limit: 50 } })).body.features.map(
        (f: { id: string }) => f.id,
      );
    };
    const first = await ids(sim.url);
    expect(await ids(again.url)).toEqual(first);
    expect(await ids(other.url)).not.toEqual(first);
  } finally {
    await again.close();
    await other.close();
  }
});

test('file:checksum is the multihash sha256 of the served bytes, and file:size their length', async () => {
  const item = (
    await call(sim.url, 'POST', '/api/data/v0/stac/search', { token, body: { limit: 1, contract_id: 5001 } })
  ).body.features[0];
  const order = await call(sim.url, 'POST', '/api/data/v0/order/orders', {
    token,
    body: {
      type: 'IMAGE',
      data: {
        order_line_items: [{ collection: item.collection, item: item.id, level: item.properties['processing:level'] }],
      },
      organisation: 1001,
      contract_id: 5001,
    },
  });
  expect(
    (await call(sim.url, 'POST', `/api/data/v0/order/orders/${order.body.data.id}/checkout`, { token })).body.data
      .status,
  ).toBe('PAID');
  for (const asset of Object.values<{ href: string; 'file:size': number; 'file:checksum': string }>(item.assets)) {
    const res = await fetch(asset.href, { headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(bytes.length).toBe(asset['file:size']);
    expect(`1220${createHash('sha256').update(bytes).digest('hex')}`).toBe(asset['file:checksum']);
  }
});
