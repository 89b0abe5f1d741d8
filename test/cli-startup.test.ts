/**
 * What a `dcp` command loads before it runs, read off the built program module by module in one Node process: a
 * command that talks only to Temporal (buy, batch, status, ...) does not load the DataCosmos HTTP client (undici,
 * about 80 ms of CPU a run), which the commands that call the API load when they call it (src/cli/context.ts), and
 * no command loads the geometry libraries (about 40 ms) before it is given an area (`--aoi`).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
/** Every run of these asks the API: the HTTP client is theirs from the start. */
const ALWAYS_ASK_THE_API = ['doctor', 'probe'];
const LIBRARIES = { http: '/node_modules/undici/', geometry: '/node_modules/(@turf/|polyclip-ts/|d3-geo/)' };

/** The modules src/cli/commands loads a command's work from (`import('../buy')`). */
function commandModules(): string[] {
  const dir = path.join(ROOT, 'src/cli/commands');
  const names = new Set<string>();
  for (const file of fs.readdirSync(dir)) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const match of source.matchAll(/import\('\.\.\/([\w-]+)'\)/g)) names.add(match[1]);
  }
  return [...names].sort();
}

/** For each library, the command modules that load it when they load. */
function loadersOf(modules: string[]): Record<keyof typeof LIBRARIES, string[]> {
  const script = `
    const path = require('node:path');
    const libraries = ${JSON.stringify(LIBRARIES)};
    const loaders = Object.fromEntries(Object.keys(libraries).map((name) => [name, []]));
    for (const name of ${JSON.stringify(modules)}) {
      for (const key of Object.keys(require.cache)) delete require.cache[key];
      require(path.join(${JSON.stringify(path.join(ROOT, 'dist/src/cli'))}, name));
      for (const [library, pattern] of Object.entries(libraries)) {
        if (Object.keys(require.cache).some((file) => new RegExp(pattern).test(file))) loaders[library].push(name);
      }
    }
    process.stdout.write(JSON.stringify(loaders));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT }).toString());
}

test('command modules load the HTTP client only where every run asks the API, and no geometry', () => {
  const modules = commandModules();
  expect(modules).toEqual(
    expect.arrayContaining(['buy', 'batch', 'manage', 'schedule', 'quote', ...ALWAYS_ASK_THE_API]),
  );
  expect(loadersOf(modules)).toEqual({ http: ALWAYS_ASK_THE_API, geometry: [] });
});
