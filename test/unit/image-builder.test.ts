/**
 * The Dockerfile interpreter of the image test (test/production/images.test.ts) on small Dockerfiles: it refuses
 * what it does not know, reads .dockerignore as BuildKit does, copies as COPY does and keeps RUN inside the stage.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDockerfile } from '../support/dockerfile';
import { dockerignore } from '../support/dockerignore';
import { buildImages, inImage } from '../support/image-builder';

const FROM = `FROM node:${process.versions.node.split('.').slice(0, 2).join('.')}-bookworm-slim`;

const made: string[] = [];
afterAll(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A build context with these files, and an empty directory to build into. */
function contextWith(files: Record<string, string>): { context: string; into: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcp-image-builder-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, 'context', name)), { recursive: true });
    fs.writeFileSync(path.join(dir, 'context', name), text);
  }
  fs.mkdirSync(path.join(dir, 'into'));
  return { context: path.join(dir, 'context'), into: path.join(dir, 'into') };
}

test.each([
  ['an unknown instruction', 'EXPOSE 8080', /line 2: EXPOSE is not an instruction this interpreter knows/],
  ['a variable', 'ENV A=$B', /line 2: variables are not understood/],
  ['a COPY flag', 'COPY --chown=node:node a ./', /--chown=node:node: only --from=<stage> is understood/],
  ['a COPY from an unknown stage', 'COPY --from=nowhere /a ./', /no earlier stage of that name/],
  ['a wildcard', 'COPY *.json ./', /wildcards are not understood/],
  ['a program RUN may not call', 'RUN apt-get install -y curl', /apt-get is not one of npm, npx, mkdir, chown/],
  ['a shell feature', 'RUN npm ci ; npm test', /only plain words joined by && are understood/],
  ['a quoted path', 'RUN mkdir "/data"', /only plain words joined by && are understood/],
  ['the shell form of CMD', 'CMD node main.js', /only the exec form/],
])('the interpreter refuses %s', (_what, line, error) => {
  expect(() => parseDockerfile(`${FROM} AS one\n${line}\n`)).toThrow(error);
});

test('continued lines and comments read as Docker reads them', () => {
  const [stage] = parseDockerfile(
    `# syntax=docker/dockerfile:1\n${FROM} AS one\nRUN npm ci \\\n  # a comment\n  --omit=dev\n`,
  );
  expect(stage.instructions).toEqual([{ op: 'RUN', commands: [['npm', 'ci', '--omit=dev']] }]);
});

test('.dockerignore: the last matching pattern wins, and a directory matched is matched with all below it', () => {
  const ignored = dockerignore('# allow-list\n*\n!src\n!package.json\nsrc/**/*.md\n');
  expect(['.env', 'deploy/dcp.env', 'test/a.test.ts', 'package-lock.json'].filter(ignored)).toHaveLength(4);
  expect(['src', 'src/a/b.ts', 'package.json'].filter(ignored)).toEqual([]);
  expect(ignored('src/a/README.md')).toBe(true);
  expect(() => dockerignore('[ab]')).toThrow(/character classes/);
});

test('COPY brings what the context has less .dockerignore, and files from earlier stages', async () => {
  const { context, into } = contextWith({
    '.dockerignore': '*\n!a.json\n!src\n!secret.env\nsrc/skip.ts\n',
    'a.json': '{}',
    'src/x/y.ts': 'y',
    'src/skip.ts': 'skip',
    'b.json': '{}',
    Dockerfile: [
      `${FROM} AS one`,
      'WORKDIR /app',
      'COPY a.json ./',
      'COPY src ./src',
      `${FROM} AS two`,
      'WORKDIR /srv',
      'COPY --from=one /app/src ./code',
      'USER node',
      'CMD ["node", "code/x/y.ts", "--data", "/data"]',
    ].join('\n'),
  });
  const images = await buildImages({ context, into });
  const one = images.get('one')!;
  expect(fs.readdirSync(inImage(one, '/app')).sort()).toEqual(['a.json', 'src']);
  expect(fs.readdirSync(inImage(one, '/app/src'))).toEqual(['x']);
  const two = images.get('two')!;
  expect(fs.readFileSync(inImage(two, '/srv/code/x/y.ts'), 'utf8')).toBe('y');
  expect([two.user, two.workdir, two.cmd]).toEqual(['node', '/srv', ['node', 'code/x/y.ts', '--data', '/data']]);

  for (const missing of ['b.json', 'secret.env']) {
    const dockerfile = `${FROM} AS one\nCOPY ${missing} ./\n`;
    fs.writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
    fs.rmSync(path.join(into, 'one'), { recursive: true });
    await expect(buildImages({ context, into })).rejects.toThrow(`COPY ${missing}: not found in the build context`);
  }
});

test("RUN runs in the stage's WORKDIR, with its absolute paths and chown's owners inside the stage", async () => {
  const { context, into } = contextWith({
    Dockerfile: [
      `${FROM} AS one`,
      'ENV NODE_ENV=production',
      'WORKDIR /app',
      'RUN mkdir -p /data/journal logs && chown node:node /data',
    ].join('\n'),
  });
  const one = (await buildImages({ context, into })).get('one')!;
  expect(fs.existsSync(inImage(one, '/data/journal'))).toBe(true);
  expect(fs.existsSync(inImage(one, '/app/logs'))).toBe(true);
  expect(fs.statSync(inImage(one, '/data')).uid).toBe(one.base.users.node.uid);
  expect(one.env).toEqual({ NODE_ENV: 'production' });
});
