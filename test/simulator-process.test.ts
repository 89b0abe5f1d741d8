/**
 * The simulator program's process contract: listening line, port-in-use exit 7 (also through `dcp sim`), graceful
 * SIGTERM.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { spawnSimulator, tempDataDir } from '../harness/simulator';

const MAIN = path.resolve(__dirname, '../dist/simulator/main.js');
const DCP = path.resolve(__dirname, '../dist/src/starter.js');

test('prints one listening line, answers, and exits 0 on SIGTERM', async () => {
  const sim = await spawnSimulator({ args: ['--items', '200'] });
  expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
  expect(sim.port).toBeGreaterThan(0);
  const orgs = await sim.admin.organisations();
  expect(orgs.map((o) => o.id)).toEqual([1001, 1002, 1003]);
  expect(await sim.stop()).toBe(0);
});

test.each([
  ['the simulator', [MAIN], ''],
  ['dcp sim', [DCP, 'sim'], '\ndcp: the simulator exited with code 7'],
])('a taken port: %s prints one clear line on stderr and exits 7', async (_name, program, last) => {
  const first = await spawnSimulator({ args: ['--items', '100'] });
  try {
    const child = spawn(process.execPath, [
      ...program,
      '--port',
      String(first.port),
      '--data-dir',
      tempDataDir(),
      '--items',
      '100',
    ]);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(7);
    // dcp sim ends, as every failing dcp command does, with its own `dcp:` line.
    expect(stderr.trim()).toBe(`simulator: port ${first.port} is already in use${last}`);
  } finally {
    await first.stop();
  }
});

test('refuses a data dir made with another catalog seed', async () => {
  const sim = await spawnSimulator({ args: ['--seed', '1', '--items', '100'] });
  await sim.stop();
  await expect(spawnSimulator({ dataDir: sim.dataDir, args: ['--seed', '2'] })).rejects.toThrow(/--seed 1 --items 100/);
  const again = await spawnSimulator({ dataDir: sim.dataDir });
  await again.stop();
});
