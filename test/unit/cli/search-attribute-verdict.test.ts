import { searchAttributeVerdict } from '../../../src/cli/doctor';
import { ExitCode } from '../../../src/shared/errors';
import { SEARCH_ATTRIBUTES } from '../../../src/shared/search-attributes';
import {
  QUERY_NAMING_EVERY_ATTRIBUTE,
  searchAttributeState,
  type SearchAttributeState,
} from '../../../src/workflow-client/search-attribute-state';

const NAMES = Object.keys(SEARCH_ATTRIBUTES);
const UNMAPPED = '3 INVALID_ARGUMENT: Namespace ops has no mapping defined for search attribute PurchaseStage';
const verdict = (state: SearchAttributeState) => searchAttributeVerdict(state, 'ops');

test('doctor passes the search attributes only when a query naming them all is accepted', () => {
  expect(verdict({ missing: [] })).toMatchObject({ ok: true, detail: `${NAMES.length} registered and usable` });
  // Listed, but not yet mapped by the frontend: a purchase started now would be refused.
  expect(verdict({ missing: [], queryRefusal: UNMAPPED })).toMatchObject({
    ok: false,
    detail: `registered on ops, but a query naming them is refused: ${UNMAPPED}`,
    exitCode: ExitCode.UNAVAILABLE,
  });
  // Where listing them is refused but the query is accepted, a purchase can start: usable.
  expect(verdict({ missing: null, listRefusal: '7 PERMISSION_DENIED: Request unauthorized.' })).toMatchObject({
    ok: true,
    detail: `${NAMES.length} usable (a query naming them all is accepted; listing them was refused: 7 PERMISSION_DENIED: Request unauthorized.)`,
  });
  const neither = verdict({ missing: null, listRefusal: '7 PERMISSION_DENIED', queryRefusal: UNMAPPED });
  expect(neither).toMatchObject({ ok: false, exitCode: ExitCode.UNAVAILABLE });
  expect(neither.fix).toBe(`register ${NAMES.map((name) => `${name} (${SEARCH_ATTRIBUTES[name]})`).join(', ')} on ops`);
});

test('missing attributes are named, each with the command that registers it', () => {
  expect(verdict({ missing: ['BatchId', 'TotalPrice'], queryRefusal: UNMAPPED })).toEqual({
    check: 'search attributes',
    ok: false,
    detail: 'missing on ops: BatchId, TotalPrice',
    fix:
      'temporal operator search-attribute create --namespace ops --name BatchId --type Keyword; ' +
      'temporal operator search-attribute create --namespace ops --name TotalPrice --type Double',
    exitCode: ExitCode.UNAVAILABLE,
  });
});

/** A connection whose listing answers `listed` (or is refused when null) and whose visibility accepts every query. */
function fakeConnection(listed: Record<string, number> | null, asked: string[]) {
  return {
    operatorService: {
      listSearchAttributes: () =>
        listed ? Promise.resolve({ customAttributes: listed }) : Promise.reject(new Error('7 PERMISSION_DENIED')),
    },
    workflowService: {
      listWorkflowExecutions: (request: { query?: string | null }) => {
        asked.push(request.query ?? '');
        return Promise.resolve({});
      },
    },
  } as unknown as Parameters<typeof searchAttributeState>[0];
}

test('the state asks the listing and the query, and a refused listing does not stop the query', async () => {
  const asked: string[] = [];
  expect(await searchAttributeState(fakeConnection(null, asked), 'ops')).toEqual({
    missing: null,
    listRefusal: '7 PERMISSION_DENIED',
  });
  expect(asked).toEqual([QUERY_NAMING_EVERY_ATTRIBUTE]);
  for (const name of NAMES) expect(QUERY_NAMING_EVERY_ATTRIBUTE).toContain(`${name} = `);
});

test('while some are missing the query is not asked: it would be refused for them', async () => {
  const asked: string[] = [];
  const listed = Object.fromEntries(NAMES.filter((name) => name !== 'BatchId').map((name) => [name, 2]));
  expect(await searchAttributeState(fakeConnection(listed, asked), 'ops')).toEqual({ missing: ['BatchId'] });
  expect(asked).toEqual([]);
});
