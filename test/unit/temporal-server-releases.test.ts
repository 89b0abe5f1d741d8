/** The native stack's Temporal releases: one per minor version, and the way from any of them to another. */
import {
  releasesBetween,
  TEMPORAL_SERVER_RELEASES,
  TEMPORAL_SERVER_VERSION,
} from '../../local/temporal-server-releases';

test('one release per minor version, each the next minor, the current one last', () => {
  const minors = TEMPORAL_SERVER_RELEASES.map((release) => {
    const match = /^v1\.(\d+)\.\d+$/.exec(release);
    expect([release, match]).toEqual([release, expect.anything()]);
    return Number(match![1]);
  });
  expect(minors.slice(1)).toEqual(minors.slice(0, -1).map((minor) => minor + 1));
  expect(TEMPORAL_SERVER_VERSION).toBe(TEMPORAL_SERVER_RELEASES.at(-1));
});

test('a database runs every release between its own and the target, oldest first', () => {
  const [first, ...later] = TEMPORAL_SERVER_RELEASES;
  expect(releasesBetween(first, TEMPORAL_SERVER_VERSION)).toEqual(later.slice(0, -1));
  expect(releasesBetween(later[0], later[1])).toEqual([]);
  expect(releasesBetween(TEMPORAL_SERVER_VERSION, TEMPORAL_SERVER_VERSION)).toEqual([]);
});

test('a release the stack does not know, or a downgrade, is refused with what to do', () => {
  expect(() => releasesBetween('v1.28.3', TEMPORAL_SERVER_VERSION)).toThrow(
    /^the database was made by Temporal v1\.28\.3, which this stack cannot upgrade \(it knows v1\.29\.1, .*\): upgrade it/,
  );
  expect(() => releasesBetween(TEMPORAL_SERVER_VERSION, TEMPORAL_SERVER_RELEASES[0])).toThrow(
    /newer than v1\.29\.1: a server cannot be downgraded/,
  );
  expect(() => releasesBetween(TEMPORAL_SERVER_RELEASES[0], 'v9.9.9')).toThrow(
    'Temporal v9.9.9 is not a release of the native production stack',
  );
});
