/**
 * What a `dcp` command loads before it runs: a command that talks only to Temporal (buy, batch, status, ...) does
 * not load the DataCosmos HTTP client (undici, about 80 ms of CPU a run); the commands that call the API load it
 * when they call it (src/cli/context.ts). Read off the built program, module by module, in one Node process.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
/** Every command asks the API: the HTTP client is theirs from the start. */
const ALWAYS_ASK_THE_API = ['doctor', 'probe'];

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

test('command modules load the DataCosmos HTTP client only where every run asks the API', () => {
  const modules = commandModules();
  expect(modules).toEqual(expect.arrayContaining(['buy', 'batch', 'manage', 'schedule', ...ALWAYS_ASK_THE_API]));
  const script = `
    const path = require('node:path');
    const loaders = {};
    for (const name of ${JSON.stringify(modules)}) {
      for (const key of Object.keys(require.cache)) delete require.cache[key];
      require(path.join(${JSON.stringify(path.join(ROOT, 'dist/src/cli'))}, name));
      loaders[name] = Object.keys(require.cache).some((file) => file.includes('/node_modules/undici/'));
    }
    process.stdout.write(JSON.stringify(loaders));`;
  const loaders: Record<string, boolean> = JSON.parse(
    execFileSync(process.execPath, ['-e', script], { cwd: ROOT }).toString(),
  );
  const loading = Object.keys(loaders).filter((name) => loaders[name]);
  expect(loading.sort()).toEqual([...ALWAYS_ASK_THE_API].sort());
});
