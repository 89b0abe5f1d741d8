/**
 * How the native production stack finds its programs without downloading any: the Temporal server and schema
 * tool (variables, PATH, the cache, else one Go build of both under the same lock as the CLI's, with the Go
 * toolchain the module asks for), an earlier release of them (the cache or a build only), and PostgreSQL
 * (POSTGRES_BIN_DIR, beside pg_ctl on PATH, Debian's directories newest first). A fake `go` stands in for the
 * minutes of a real build.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePostgresBinDir } from '../local/production-stack/postgres-programs';
import { resolveTemporalServerPrograms } from '../local/temporal-server-programs';
import { TEMPORAL_SERVER_RELEASES } from '../local/temporal-server-releases';

const FAKE_GO = `#!/bin/sh
PATH=/usr/bin:/bin
case "$1" in
  env) echo go1.26.0 ;;
  install)
    shift
    echo "$*" >> "$FAKE_GO_CALLS"
    [ "$CGO_ENABLED" = 0 ] || exit 9
    [ "$GOTOOLCHAIN" = "\${FAKE_GO_TOOLCHAIN:-auto}" ] || exit 8
    # A build that lasts until the test says so (the file FAKE_GO_HOLD exists, or a minute), as a real one lasts minutes.
    n=0; while [ -n "$FAKE_GO_HOLD" ] && [ ! -e "$FAKE_GO_HOLD" ] && [ $n -lt 1200 ]; do sleep 0.05; n=$((n+1)); done
    for name in server sql; do printf '#!/bin/sh\\necho fake %s\\n' "$name" > "$GOBIN/$name"; chmod +x "$GOBIN/$name"; done ;;
esac
`;

let root: string;
let calls: string;

function executable(file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return file;
}

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: path.join(root, 'go-bin'), XDG_CACHE_HOME: path.join(root, 'cache'), FAKE_GO_CALLS: calls, ...extra };
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'production-programs-'));
  calls = path.join(root, 'go-calls');
  fs.mkdirSync(path.join(root, 'go-bin'));
  fs.writeFileSync(path.join(root, 'go-bin', 'go'), FAKE_GO, { mode: 0o755 });
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the Temporal server and its schema tool', () => {
  test('are built once, together, from the server module of the tested version, into the cache', async () => {
    const logs: string[] = [];
    // The build goes on until the other caller is seen waiting for it: without the hold, a build that ends before
    // the other caller reaches the lock leaves it nothing to wait for (it then finds the programs built).
    const hold = path.join(root, 'build-may-end');
    const log = (line: string) => {
      logs.push(line);
      if (line.startsWith('waiting for process ')) fs.writeFileSync(hold, '');
    };
    const [first, second] = await Promise.all([
      resolveTemporalServerPrograms({ env: env({ FAKE_GO_HOLD: hold }), log }),
      resolveTemporalServerPrograms({ env: env({ FAKE_GO_HOLD: hold }), log }),
    ]);
    const cacheDir = path.join(root, 'cache', 'datacosmos-purchase', 'temporal-server-v1.32.2');
    expect(first).toEqual({
      server: path.join(cacheDir, 'temporal-server'),
      sqlTool: path.join(cacheDir, 'temporal-sql-tool'),
    });
    expect(second).toEqual(first);
    expect(fs.readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
      'go.temporal.io/server/cmd/server@v1.32.2 go.temporal.io/server/cmd/tools/sql@v1.32.2',
    ]);
    expect(fs.readdirSync(cacheDir).sort()).toEqual(['temporal-server', 'temporal-sql-tool']);
    expect(logs).toContain('waiting for process ' + process.pid + ', which is building the Temporal server');
    expect(logs.some((line) => line.startsWith('built the Temporal server in'))).toBe(true);
  });

  test('each comes from its variable, then PATH, before any build', async () => {
    const server = executable(path.join(root, 'elsewhere', 'server-1.32.2'));
    const pathDir = path.join(root, 'path-bin');
    const sqlTool = executable(path.join(pathDir, 'temporal-sql-tool'));
    const found = await resolveTemporalServerPrograms({
      env: env({ TEMPORAL_SERVER_PATH: server, PATH: `${pathDir}:${path.join(root, 'go-bin')}` }),
    });
    expect(found).toEqual({ server, sqlTool });
    expect(fs.existsSync(calls)).toBe(false);
  });

  test("an explicit GOTOOLCHAIN is the build's", async () => {
    const found = await resolveTemporalServerPrograms({
      env: env({ GOTOOLCHAIN: 'local', FAKE_GO_TOOLCHAIN: 'local' }),
    });
    expect(found.server).toBe(
      path.join(root, 'cache', 'datacosmos-purchase', 'temporal-server-v1.32.2', 'temporal-server'),
    );
  });

  test('an earlier release comes only from its own cache directory or its own build', async () => {
    const [earliest] = TEMPORAL_SERVER_RELEASES;
    const pathDir = path.join(root, 'path-bin');
    executable(path.join(pathDir, 'temporal-server'));
    executable(path.join(pathDir, 'temporal-sql-tool'));
    const explicit = executable(path.join(root, 'elsewhere', 'server-1.32.2'));
    const logs: string[] = [];
    const found = await resolveTemporalServerPrograms(
      {
        env: env({ TEMPORAL_SERVER_PATH: explicit, PATH: `${pathDir}:${path.join(root, 'go-bin')}` }),
        log: (line) => logs.push(line),
      },
      earliest,
    );
    const cacheDir = path.join(root, 'cache', 'datacosmos-purchase', `temporal-server-${earliest}`);
    expect(found).toEqual({
      server: path.join(cacheDir, 'temporal-server'),
      sqlTool: path.join(cacheDir, 'temporal-sql-tool'),
    });
    expect(fs.readFileSync(calls, 'utf8').trim()).toBe(
      `go.temporal.io/server/cmd/server@${earliest} go.temporal.io/server/cmd/tools/sql@${earliest}`,
    );
    expect(logs.some((line) => line.startsWith(`built the Temporal server ${earliest} in`))).toBe(true);
    const error = await resolveTemporalServerPrograms({ env: env({ PATH: root }) }, 'v1.30.9').catch(
      (err: Error) => err,
    );
    expect((error as Error).message).toMatch(
      /^Temporal server v1\.30\.9 not found and cannot be built \(no `go` on PATH\)\. Provide it in one of these ways: install Go >= 1\.25 so it is built into \S+temporal-server-v1\.30\.9; or copy both .* images of 1\.30\.9 into that directory$/,
    );
  });

  test('without Go, one error names every way to provide them', async () => {
    const error = await resolveTemporalServerPrograms({ env: env({ PATH: root }) }).catch((err: Error) => err);
    expect((error as Error).message).toMatch(
      /^Temporal server not found and cannot be built \(no `go` on PATH\)\. .*set TEMPORAL_SERVER_PATH.*set TEMPORAL_SQL_TOOL_PATH.*put `temporal-server` and `temporal-sql-tool` on PATH.*install Go >= 1\.25.*temporalio\/admin-tools/,
    );
  });
});

describe('PostgreSQL', () => {
  const programs = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].map((name) => executable(path.join(dir, name)));

  test('POSTGRES_BIN_DIR comes first, and must hold initdb, pg_ctl and postgres', async () => {
    const dir = path.join(root, 'pg');
    programs(dir);
    expect(await resolvePostgresBinDir({ env: env({ POSTGRES_BIN_DIR: dir }) })).toBe(dir);
    fs.rmSync(path.join(dir, 'initdb'));
    await expect(resolvePostgresBinDir({ env: env({ POSTGRES_BIN_DIR: dir }) })).rejects.toThrow(
      `POSTGRES_BIN_DIR=${dir} does not hold initdb, pg_ctl, postgres`,
    );
  });

  test('pg_ctl on PATH is followed to the directory it links into', async () => {
    const real = path.join(root, 'lib', 'postgresql', '16', 'bin');
    programs(real);
    const pathDir = path.join(root, 'path-bin');
    fs.mkdirSync(pathDir);
    fs.symlinkSync(path.join(real, 'pg_ctl'), path.join(pathDir, 'pg_ctl'));
    expect(await resolvePostgresBinDir({ env: env({ PATH: pathDir }), debianRoot: path.join(root, 'none') })).toBe(
      real,
    );
  });

  test("Debian's directories are searched newest version first", async () => {
    const debianRoot = path.join(root, 'lib', 'postgresql');
    for (const version of ['9', '15', '13']) programs(path.join(debianRoot, version, 'bin'));
    expect(await resolvePostgresBinDir({ env: env({ PATH: root }), debianRoot })).toBe(
      path.join(debianRoot, '15', 'bin'),
    );
  });

  test('when there is none and nothing can install it, the error says how to get it', async () => {
    const error = resolvePostgresBinDir({ env: env({ PATH: root }), debianRoot: path.join(root, 'none') });
    await expect(error).rejects.toThrow(/^PostgreSQL not found .*sudo apt-get install postgresql.*POSTGRES_BIN_DIR/);
  });
});
