/**
 * What stands in for the Dockerfile's base image, which cannot be pulled here (there is no Docker engine): this
 * machine's Node, npm and shell, and the official Node image's two users with their homes. The machine's Node
 * must be of the image's major version and not older than its tag. Run as root (as CI is), the image's users
 * keep their ids, so a stage's ownership and USER are real; otherwise both are the current user.
 */
import { mkdirSync, chownSync } from 'node:fs';
import path from 'node:path';

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

function imageUser(uid: number, home: string): ImageUser {
  return AS_ROOT ? { uid, gid: uid, home } : { uid: process.getuid!(), gid: process.getgid!(), home };
}

/** The base image, with the users' homes made in the stage's root. */
export function standInFor(reference: string, root: string): BaseImage {
  const tag = /^node:(\d+)\.(\d+)[\w.-]*$/.exec(reference);
  if (!tag) throw new Error(`FROM ${reference}: only the official node images are stood in for`);
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major !== Number(tag[1]) || minor < Number(tag[2]))
    throw new Error(`FROM ${reference}: this machine's Node ${process.versions.node} cannot stand in for it`);
  const users = { root: imageUser(0, '/root'), node: imageUser(1000, '/home/node') };
  for (const user of Object.values(users)) {
    mkdirSync(path.join(root, user.home), { recursive: true });
    chownSync(path.join(root, user.home), user.uid, user.gid);
  }
  return { users, env: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' } };
}
