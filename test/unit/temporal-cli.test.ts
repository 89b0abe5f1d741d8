/**
 * Resolution of the Temporal CLI: $TEMPORAL_CLI_PATH, PATH, the cache, then a Go build. The build
 * runs a fake `go` that writes a fake binary, so locking and errors are tested without minutes of Go.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { resolveTemporalCli, temporalCliCacheDir } from '../../local/temporal-cli';

const FAKE_GO = `#!/bin/sh
PATH=/usr/bin:/bin
case "$1" in
  env) echo "$FAKE_GO_VERSION" ;;
  install)
    echo "$2" >> "$FAKE_GO_CALLS"
    echo "go: downloading github.com/temporalio/cli v1.5.1" >&2
    if [ -n "$FAKE_GO_FAIL" ]; then echo "build exploded: $FAKE_GO_FAIL" >&2; exit 1; fi
    [ "$CGO_ENABLED" = 0 ] || exit 9
    sleep 1
    printf '#!/bin/sh\\necho fake temporal\\n' > "$GOBIN/temporal"
    chmod +x "$GOBIN/temporal" ;;
esac
`;

let root: string;
let goDir: string;
let emptyDir: string;
let calls: string;

function executable(file: string, text = '#!/bin/sh\nexit 0\n'): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode: 0o755 });
  return file;
}

/** An environment with only our own directories on PATH and a private cache. */
function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: goDir,
    XDG_CACHE_HOME: path.join(root, 'cache'),
    FAKE_GO_CALLS: calls,
    FAKE_GO_VERSION: 'go1.25.3',
    ...extra,
  };
}

function goBuilds(): string[] {
  return fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').trim().split('\n') : [];
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-cli-'));
  goDir = path.join(root, 'go-bin');
  emptyDir = path.join(root, 'empty');
  fs.mkdirSync(emptyDir);
  executable(path.join(goDir, 'go'), FAKE_GO);
  calls = path.join(root, 'go-calls');
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('TEMPORAL_CLI_PATH comes first, before PATH', async () => {
  const explicit = executable(path.join(root, 'explicit', 'temporal'));
  const pathDir = path.join(root, 'path-bin');
  executable(path.join(pathDir, 'temporal'));
  const found = await resolveTemporalCli({ env: env({ TEMPORAL_CLI_PATH: explicit, PATH: pathDir }) });
  expect(found).toBe(explicit);
});

test('a TEMPORAL_CLI_PATH that is missing or not executable is an error naming the variable', async () => {
  const missing = path.join(root, 'nope', 'temporal');
  await expect(resolveTemporalCli({ env: env({ TEMPORAL_CLI_PATH: missing }) })).rejects.toThrow(
    `TEMPORAL_CLI_PATH=${missing} is not an executable file`,
  );
  const plain = path.join(root, 'plain-file');
  fs.writeFileSync(plain, 'not a program', { mode: 0o644 });
  await expect(resolveTemporalCli({ env: env({ TEMPORAL_CLI_PATH: plain }) })).rejects.toThrow('TEMPORAL_CLI_PATH');
});

test('`temporal` on PATH comes before the cache', async () => {
  const pathDir = path.join(root, 'path-bin');
  const onPath = executable(path.join(pathDir, 'temporal'));
  executable(path.join(temporalCliCacheDir(env()), 'temporal'));
  expect(await resolveTemporalCli({ env: env({ PATH: `${emptyDir}:${pathDir}:${goDir}` }) })).toBe(onPath);
});

test('the cached binary is used without building', async () => {
  const cached = executable(path.join(root, 'cache', 'datacosmos-purchase', 'temporal-v1.5.1', 'temporal'));
  expect(await resolveTemporalCli({ env: env() })).toBe(cached);
  expect(goBuilds()).toEqual([]);
});

test('two concurrent resolves build once with go; the second waits for the first', async () => {
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);
  const [first, second] = await Promise.all([
    resolveTemporalCli({ env: env(), log }),
    resolveTemporalCli({ env: env(), log }),
  ]);
  const cached = path.join(temporalCliCacheDir(env()), 'temporal');
  expect(first).toBe(cached);
  expect(second).toBe(cached);
  expect(goBuilds()).toEqual(['github.com/temporalio/cli/cmd/temporal@v1.5.1']);
  expect(spawnSync(cached).stdout.toString()).toBe('fake temporal\n');
  expect(logs.some((line) => line.includes('building github.com/temporalio/cli/cmd/temporal@v1.5.1'))).toBe(true);
  expect(logs.some((line) => line.includes('waiting for process'))).toBe(true);
  // Nothing of the build is left behind but the binary.
  expect(fs.readdirSync(temporalCliCacheDir(env()))).toEqual(['temporal']);
});

test('a lock left by a dead process is taken over', async () => {
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  const cacheDir = temporalCliCacheDir(env());
  fs.mkdirSync(cacheDir, { recursive: true });
  fs.writeFileSync(path.join(cacheDir, 'build.lock'), `${dead}\n`);
  expect(await resolveTemporalCli({ env: env(), log: () => undefined })).toBe(path.join(cacheDir, 'temporal'));
  expect(goBuilds()).toHaveLength(1);
  expect(fs.existsSync(path.join(cacheDir, 'build.lock'))).toBe(false);
});

test('a failed build says so with the last line go printed, and leaves no binary', async () => {
  const resolving = resolveTemporalCli({ env: env({ FAKE_GO_FAIL: 'no network' }), log: () => undefined });
  await expect(resolving).rejects.toThrow(
    'building the Temporal CLI failed: go install exited with code 1: build exploded: no network',
  );
  expect(fs.readdirSync(temporalCliCacheDir(env()))).toEqual([]);
});

test('without go, one error lists every way to provide the CLI', async () => {
  const resolving = resolveTemporalCli({ env: env({ PATH: emptyDir }) });
  const error = await resolving.catch((err: Error) => err);
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  for (const way of [
    'no `go` on PATH',
    'set TEMPORAL_CLI_PATH',
    'put `temporal` on PATH',
    'install Go >= 1.25',
    'curl -sSf https://temporal.download/cli.sh | sh',
    'brew install temporal',
  ]) {
    expect(message).toContain(way);
  }
});

test('a Go older than 1.25 is not used', async () => {
  const resolving = resolveTemporalCli({ env: env({ FAKE_GO_VERSION: 'go1.24.9' }) });
  await expect(resolving).rejects.toThrow(/is go1\.24\.9, older than go1\.25.*set TEMPORAL_CLI_PATH/);
  expect(goBuilds()).toEqual([]);
});
