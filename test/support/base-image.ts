/**
 * What stands in for the Dockerfile's base image, which cannot be pulled here (there is no Docker engine): the
 * image's Node release, from npm's `node` package (which ships the Node binary) through npx and its cache, put
 * where the official image has it (/usr/local/bin/node) and first on PATH; this machine's npm and shell, run by
 * that Node, trusting the machine's extra CA certificates (NODE_EXTRA_CA_CERTS); and the official Node image's two
 * users with their homes. Whatever Node runs the tests, the image's
 * stages run on the Node its FROM line names. Run as root (as CI is), the image's users keep their ids, so a
 * stage's ownership and USER are real; otherwise both are the current user.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export interface ImageUser {
  uid: number;
  gid: number;
  home: string;
}

export interface BaseImage {
  users: Readonly<Record<string, ImageUser>>;
  /** The environment every process of the image starts with. */
  env: Record<string, string>;
}

const AS_ROOT = process.getuid?.() === 0;
const run = promisify(execFile);

function imageUser(uid: number, home: string): ImageUser {
  return AS_ROOT ? { uid, gid: uid, home } : { uid: process.getuid!(), gid: process.getgid!(), home };
}

/** The `node` binary of the newest release of npm's `node` package that matches `version` (`24.21`). */
async function nodeRelease(version: string): Promise<string> {
  const spec = `node@${version}`;
  const { stdout } = await run('npx', ['--yes', '-p', spec, '-c', 'node -p process.execPath'], {
    timeout: 10 * 60_000,
  });
  return stdout.trim();
}

/** The base image, with its Node and the users' homes made in the stage's root. */
export async function standInFor(reference: string, root: string): Promise<BaseImage> {
  const tag = /^node:(\d+\.\d+)[\w.-]*$/.exec(reference);
  if (!tag) throw new Error(`FROM ${reference}: only the official node images are stood in for`);
  const node = await nodeRelease(tag[1]);
  const { stdout } = await run(node, ['--version']);
  if (!stdout.startsWith(`v${tag[1]}.`))
    throw new Error(`FROM ${reference}: npm's node@${tag[1]} is ${stdout.trim()}, which cannot stand in for it`);
  const binDir = path.join(root, 'usr', 'local', 'bin');
  mkdirSync(binDir, { recursive: true });
  copyFileSync(node, path.join(binDir, 'node'));
  chmodSync(path.join(binDir, 'node'), 0o755);

  const users = { root: imageUser(0, '/root'), node: imageUser(1000, '/home/node') };
  for (const user of Object.values(users)) {
    mkdirSync(path.join(root, user.home), { recursive: true });
    chownSync(path.join(root, user.home), user.uid, user.gid);
  }
  const machinePath = process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin';
  // The machine's extra CA certificates go in too, as a build behind a TLS-inspecting proxy passes them: the
  // registry is reached through that proxy, and npm's Node trusts only its own CAs without them.
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  return {
    users,
    env: { PATH: `${binDir}${path.delimiter}${machinePath}`, ...(extraCa ? { NODE_EXTRA_CA_CERTS: extraCa } : {}) },
  };
}
