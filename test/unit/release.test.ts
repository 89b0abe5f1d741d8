/**
 * The release habit: CHANGELOG.md heads with the version package.json names (unreleased, or dated on the release
 * commit itself); every dated release keeps its workflow histories in test/histories/<version>/, which
 * test/replay.test.ts replays, and the commit it was released at (COMMIT), which the upgrade test builds.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
const headings = [...changelog.matchAll(/^## (\d+\.\d+\.\d+) \(([^)]+)\)$/gm)].map((m) => ({
  version: m[1],
  when: m[2],
}));
const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

test('the changelog heads with the version in package.json', () => {
  expect(headings[0]?.version).toBe(version);
  expect(headings[0]?.when).toMatch(/^(unreleased|\d{4}-\d{2}-\d{2})$/);
});

test('every release is dated and its workflow histories are kept for the replay test', () => {
  const released = headings.filter((heading) => heading.when !== 'unreleased');
  expect(released.length).toBeGreaterThan(0);
  for (const release of released) {
    expect(release.when).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const dir = path.join(ROOT, 'test/histories', release.version);
    expect(fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.json')).length : 0).toBeGreaterThan(0);
  }
});

test('every release records its commit, which the upgrade test builds the release from', () => {
  const released = headings.filter((heading) => heading.when !== 'unreleased');
  for (const release of released) {
    const file = path.join(ROOT, 'test/histories', release.version, 'COMMIT');
    expect(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : `no ${file}`).toMatch(/^[0-9a-f]{40}\n$/);
  }
});
