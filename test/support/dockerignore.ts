/**
 * A build context's .dockerignore, read as BuildKit reads it: `#` lines are comments, `!` makes an exception, `*`
 * and `?` stay within one path segment, `**` spans any number; a pattern that matches a directory matches all
 * below it, and the last pattern that matches a path decides. Character classes and escapes are refused rather
 * than guessed.
 */

interface Rule {
  pattern: RegExp;
  exception: boolean;
}

function toRegExp(glob: string): RegExp {
  if (/[[\]\\]/.test(glob)) throw new Error(`.dockerignore: ${glob}: character classes and escapes are not supported`);
  const source = glob
    .split(/(\*\*\/|\*\*|\*|\?)/)
    .map((part) => {
      if (part === '**/') return '(?:.*/)?';
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      if (part === '?') return '[^/]';
      return part.replace(/[.+^${}()|]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

function rule(line: string): Rule {
  const exception = line.startsWith('!');
  const glob = (exception ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
  return { pattern: toRegExp(glob), exception };
}

/** Whether a path of the context (relative, `/`-separated) is left out of the build. */
export function dockerignore(text: string): (relativePath: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map(rule);
  return (relativePath) => {
    const segments = relativePath.split('/');
    const selfAndParents = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const { pattern, exception } of rules) {
      if (selfAndParents.some((p) => pattern.test(p))) ignored = !exception;
    }
    return ignored;
  };
}
