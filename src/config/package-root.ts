/**
 * Where this package is installed, found from any of its files (sources under ts-node/jest, or compiled
 * under dist/), so built artefacts such as dist/workflow-bundle.js are found the same way from both.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** Absolute path of `dist/<relative>` of this package. */
export function distPath(relative: string): string {
  return path.join(PACKAGE_ROOT, 'dist', relative);
}

/** This package's version (package.json), which workers announce in their identity. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version?: string };
  return manifest.version ?? 'unknown';
}
